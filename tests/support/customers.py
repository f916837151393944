"""Customer accounts for tests: one made and signed in directly, or through the API by
the code its message carries."""

from __future__ import annotations

from uuid import UUID

import httpx
from litestar.testing import AsyncTestClient

from fusionx.adapters.memory.email import RecordingEmailSender
from fusionx.core.model.credentials import AccessToken, PrincipalKind, hash_secret, new_secret
from fusionx.core.model.customers import Customer
from fusionx.entrypoints.bootstrap import Adapters

Headers = dict[str, str]


async def make_customer(adapters: Adapters, email: str = "bea@example.com") -> Customer:
    customer = Customer(id=adapters.ids.new_id(), created_at=adapters.clock.now(), email=email)
    async with adapters.uow() as uow:
        await uow.customers.add(customer)
        await uow.commit()
    return customer


async def customer_token(adapters: Adapters, customer_id: UUID) -> Headers:
    """A customer credential, as the sign-in issues one."""
    secret = new_secret(PrincipalKind.CUSTOMER)
    token = AccessToken(
        id=adapters.ids.new_id(),
        token_hash=hash_secret(secret),
        kind=PrincipalKind.CUSTOMER,
        subject_id=customer_id,
        created_at=adapters.clock.now(),
    )
    async with adapters.uow() as uow:
        await uow.tokens.add(token)
        await uow.commit()
    return {"Authorization": f"Bearer {secret}"}


def code_in(text: str) -> str:
    """The six digits of a sign-in code's message, in any language."""
    words = text.replace(".", " ").replace(":", " ").split()
    return next(word for word in words if word.isdigit() and len(word) == 6)


async def sign_in_by_email(
    client: httpx.AsyncClient | AsyncTestClient,
    adapters: Adapters,
    email: str,  # type: ignore[type-arg]
) -> Headers:
    """Ask for a code for ``email``, read it in the recorded email, sign in with it."""
    asked = await client.post("/api/v1/customer/sign-in/code", json={"email": email})
    assert asked.status_code == 202, asked.text
    assert isinstance(adapters.email_later, RecordingEmailSender)
    code = code_in(adapters.email_later.sent[-1].text)
    signed_in = await client.post("/api/v1/customer/sign-in", json={"email": email, "code": code})
    assert signed_in.status_code == 200, signed_in.text
    return {"Authorization": f"Bearer {signed_in.json()['token']}"}
