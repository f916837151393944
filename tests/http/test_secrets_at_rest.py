"""No credential or password is kept where a reader of the storage could use it: a retry
of a request that issued a credential is answered without it, on every backend.

Each route that issues a credential or takes a password is sent with an
``Idempotency-Key``, then again; then everything the backend holds (the replay store,
and on SQL every table) is searched for the secrets the exchange carried.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import msgspec
import pytest
from litestar import Litestar
from sqlalchemy import select

from fusionx.adapters.memory.email import RecordingEmailSender
from fusionx.adapters.sql.tables import SqlBase
from fusionx.core.model.credentials import hash_secret
from fusionx.core.model.email_tokens import TokenPurpose
from fusionx.core.model.sign_in_codes import CODE_VALIDITY, SignInCode, hash_code
from fusionx.core.model.staff import StaffMember
from fusionx.core.model.webhooks import WebhookPolicy
from fusionx.core.use_cases.commands.register_webhook_endpoint import (
    RegisterWebhookEndpoint,
    RegisterWebhookEndpointRequest,
)
from fusionx.core.use_cases.steps.email_tokens import new_email_token, store_email_token
from fusionx.entrypoints.bootstrap import Adapters, in_memory_adapters
from fusionx.entrypoints.http.credential_routes import CREDENTIAL_ISSUED
from fusionx.entrypoints.http.idempotency import LEASE, TTL, request_fingerprint
from fusionx.entrypoints.settings import Settings
from fusionx.ports.idempotency import IdempotencyRecord
from tests.factories import PASSWORD
from tests.http.conftest import Fleet, Headers, as_staff, device_body
from tests.support.databases import MigratedDatabase, migrated, migrated_postgres
from tests.support.wiring import sql_wiring

NEW_PASSWORD = "an entirely new passphrase"
SIGNING_SECRETS = ("webhook_endpoints", "secret")


@dataclass(frozen=True)
class Exchange:
    """One request to a secret-carrying route, as a client with a key sends it."""

    path: str
    body: dict[str, Any]
    status: int
    issued: str | None  # the member of the response holding the new credential
    by: str = "manager"  # or "owner", for what only owners and admins may do


class EmailLinks(msgspec.Struct, frozen=True, kw_only=True):
    """A live token of each purpose: the taco crew's reset and invitation links (their
    account made pending for it), the taco manager's email change."""

    reset: str
    invitation: str
    # A live customer sign-in code, sent to CUSTOMER_EMAIL.
    code: str = "000000"


CUSTOMER_EMAIL = "bea@example.com"
SIGN_IN_CODE = "246810"


async def email_links(adapters: Adapters, fleet: Fleet) -> EmailLinks:
    """Tokens stored as the use cases store them, with no mail server in the way."""
    now, ids, url = adapters.clock.now(), adapters.ids, "https://x.test"
    crew = fleet.taco_crew
    issued = {
        purpose: new_email_token(
            ids=ids, purpose=purpose, staff_id=crew.id, email=crew.email, now=now, public_url=url
        )
        for purpose in (TokenPurpose.PASSWORD_RESET, TokenPurpose.INVITATION)
    }
    destination = f"email:{CUSTOMER_EMAIL}"
    code = SignInCode(
        id=ids.new_id(),
        destination=destination,
        code_hash=hash_code(destination, SIGN_IN_CODE),
        created_at=now,
        expires_at=now + CODE_VALIDITY,
    )
    async with adapters.uow() as uow:
        for token in issued.values():
            await store_email_token(uow, token)
        await uow.sign_in_codes.add(code)
        await uow.commit()
    secret = {p: token.link.partition("#token=")[2] for p, token in issued.items()}
    return EmailLinks(
        reset=secret[TokenPurpose.PASSWORD_RESET],
        invitation=secret[TokenPurpose.INVITATION],
        code=SIGN_IN_CODE,
    )


async def an_endpoint(adapters: Adapters, fleet: Fleet) -> UUID:
    """A webhook endpoint, registered by the fleet's owner."""
    register = RegisterWebhookEndpoint(
        adapters.uow(), adapters.clock, adapters.ids, adapters.webhook_resolver, WebhookPolicy()
    )
    request = RegisterWebhookEndpointRequest(
        url="https://93.184.215.14/in", event_types=["order.created"]
    )
    return (await register.execute(as_staff(fleet.owner), request)).endpoint.id


async def make_pending(adapters: Adapters, staff: StaffMember) -> None:
    async with adapters.uow() as uow:
        await uow.staff.update(msgspec.structs.replace(staff, active=False))
        await uow.commit()


def exchanges(
    fleet: Fleet, links: EmailLinks | None = None, endpoint_id: UUID | None = None
) -> dict[str, Exchange]:
    """Every route that issues a credential or takes a password, by operation id
    (``test_secret_routes`` holds this list to the route table). ``links``: the tokens
    the routes reached from an email take; ``endpoint_id``: a webhook endpoint's."""
    links = links or EmailLinks(reset="fxe_none", invitation="fxe_none")
    endpoint = endpoint_id or uuid4()
    return {
        "createWebhookEndpoint": Exchange(
            "/api/v1/webhooks/endpoints",
            {"url": "https://93.184.215.14/hooks", "event_types": ["order.created"]},
            201,
            "secret",
            by="owner",
        ),
        "rotateWebhookSecret": Exchange(
            f"/api/v1/webhooks/endpoints/{endpoint}/secret", {}, 200, "secret", by="owner"
        ),
        "logIn": Exchange(
            "/api/v1/auth/login",
            {"email": fleet.taco_manager.email, "password": PASSWORD},
            200,
            "token",
        ),
        "registerDevice": Exchange(
            f"/api/v1/trucks/{fleet.taco.id}/devices", device_body(), 201, "credential"
        ),
        "requestPairingCode": Exchange(
            f"/api/v1/trucks/{fleet.taco.id}/pairing-codes", {"label": "Pass"}, 201, "code"
        ),
        "changeMyPassword": Exchange(
            "/api/v1/me/password",
            {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
            204,
            None,
        ),
        "resetPassword": Exchange(
            "/api/v1/auth/password-reset/confirm",
            {"token": links.reset, "password": NEW_PASSWORD},
            204,
            None,
        ),
        "changeMyEmail": Exchange(
            "/api/v1/me/email",
            {"new_email": "elsewhere@example.test", "password": PASSWORD},
            202,
            None,
        ),
        "acceptInvitation": Exchange(
            "/api/v1/auth/invitations/accept",
            {"token": links.invitation, "password": NEW_PASSWORD},
            200,
            "token",
        ),
        "signInCustomer": Exchange(
            "/api/v1/customer/sign-in",
            {"email": CUSTOMER_EMAIL, "code": links.code},
            200,
            "token",
        ),
    }


OPERATIONS = [
    "logIn",
    "registerDevice",
    "requestPairingCode",
    "changeMyPassword",
    "resetPassword",
    "changeMyEmail",
    "acceptInvitation",
    "createWebhookEndpoint",
    "rotateWebhookSecret",
    "signInCustomer",
]
# A webhook signing secret is kept, in that one column: an HMAC is made with the secret
# itself, not with a hash of it. It must be nowhere else (not in the replay store).
KEPT_TO_SIGN = {"createWebhookEndpoint", "rotateWebhookSecret"}


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[MigratedDatabase | None]:
    if request.param == "memory":
        yield None
        return
    if request.param == "sqlite":
        opened = migrated(f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}")
    else:
        opened = migrated_postgres()
    async with opened as database:
        yield database


@pytest.fixture
async def adapters(database: MigratedDatabase | None) -> AsyncIterator[Adapters]:
    if database is None:
        yield in_memory_adapters()
        return
    async with sql_wiring(Settings(database_url=database.url)) as wired:
        yield dataclasses.replace(wired, email=RecordingEmailSender())


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """On the test's own loop, where the SQL adapters' connections were made."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fusionx.test") as client:
        yield client


@dataclass(frozen=True)
class Storage:
    """What a backend keeps, read as a thief with a copy of it would."""

    adapters: Adapters
    database: MigratedDatabase | None

    async def everything(self, *, but_signing_secrets: bool = False) -> str:
        """All of it as text: the replay store, and on SQL every table (but the column
        of webhook signing secrets, when told)."""
        kept = [repr(vars(self.adapters.idempotency))]
        if self.database is None:
            return "".join(kept)  # the fake password hasher keeps a plain hash, unlike argon2
        async with self.database.engine.connect() as connection:
            for table in SqlBase.metadata.sorted_tables:
                columns = [
                    c
                    for c in table.c
                    if not (but_signing_secrets and (table.name, c.name) == SIGNING_SECRETS)
                ]
                rows = await connection.execute(select(*columns))
                kept += [repr(tuple(row)) for row in rows]
        return "".join(kept)

    async def record(self, caller: str, key: str) -> IdempotencyRecord | None:
        """What the replay store holds for ``key``, through its own port."""
        now = self.adapters.clock.now()
        return await self.adapters.idempotency.begin(caller, key, "-", now, ttl=TTL, lease=LEASE)


@pytest.fixture
def storage(adapters: Adapters, database: MigratedDatabase | None) -> Storage:
    return Storage(adapters, database)


@pytest.mark.parametrize("operation", OPERATIONS)
async def test_no_secret_of_a_retried_exchange_is_kept_anywhere(  # noqa: PLR0917
    client: httpx.AsyncClient,
    storage: Storage,
    fleet: Fleet,
    manager: Headers,
    sign_in: Callable[..., Awaitable[Headers]],
    operation: str,
) -> None:
    links = await email_links(storage.adapters, fleet)
    if operation == "acceptInvitation":
        await make_pending(storage.adapters, fleet.taco_crew)
    endpoint_id = await an_endpoint(storage.adapters, fleet)
    exchange = exchanges(fleet, links, endpoint_id)[operation]
    caller = fleet.owner if exchange.by == "owner" else fleet.taco_manager
    key = str(uuid4())
    own = await sign_in(fleet.owner) if exchange.by == "owner" else manager
    headers = {**own, "Idempotency-Key": key, "Content-Type": "application/json"}
    body = json.dumps(exchange.body)

    first = await client.post(exchange.path, content=body, headers=headers)
    retry = await client.post(exchange.path, content=body, headers=headers)

    assert first.status_code == exchange.status, first.text
    secrets = [exchange.body[n] for n in exchange.body if "password" in n or n == "token"]
    if exchange.issued is not None:
        secrets.append(first.json()[exchange.issued])
        assert retry.status_code == 409
        assert retry.json()["type"] == CREDENTIAL_ISSUED
        assert retry.headers["Cache-Control"] == "no-store"
    else:
        assert retry.status_code == first.status_code
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert secrets
    assert all(secret not in retry.text for secret in secrets)

    kept = await storage.everything(but_signing_secrets=operation in KEPT_TO_SIGN)
    for secret in secrets:
        assert secret not in kept, f"{operation} left a secret in storage"
    if operation in KEPT_TO_SIGN:
        signed_by = UUID(first.json().get("endpoint_id") or first.json()["id"])
        async with storage.adapters.reader() as uow:
            assert await uow.webhook_endpoints.secret(signed_by) == secrets[-1]
    # Nor what would let a reader test a password guess offline, as a plain hash would.
    record = await storage.record(f"staff:{caller.id}", key)
    assert record is not None
    plain = request_fingerprint("POST", exchange.path, "", body.encode())
    assert (record.fingerprint == plain) is ("password" not in body)
    if "token" in exchange.body and storage.database is not None:
        # An email link's token is kept as its hash alone (which the search finds).
        assert hash_secret(exchange.body["token"]) in kept
