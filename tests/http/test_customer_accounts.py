"""Customers sign in by a one-time code sent by email (a local SMTP server) or SMS (a
local Twilio-speaking server), in their language; their credential opens their own
account, orders and points, and nothing of the fleet's, nor of another customer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage as MimeMessage
from typing import Any

import pytest
from litestar import Litestar, get
from litestar.di import NamedDependency, Provide
from litestar.testing import AsyncTestClient

from fusionx.adapters.email.smtp import SmtpEmailSender
from fusionx.adapters.i18n.babel_translator import packaged_translator
from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.sms.twilio import TwilioSmsSender
from fusionx.core.messages import Message
from fusionx.core.model.principals import CustomerPrincipal
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.http.customer_principal import provide_optional_customer
from fusionx.entrypoints.http.problems import exception_handlers
from fusionx.entrypoints.settings import Settings
from tests.support.customers import code_in, customer_token, make_customer, sign_in_by_email
from tests.support.sms_server import FakeTwilio, SmsServer
from tests.support.smtp_server import SmtpServer

Client = AsyncTestClient[Litestar]
CODE = "/api/v1/customer/sign-in/code"
SIGN_IN = "/api/v1/customer/sign-in"
ME = "/api/v1/customer/me"
SID = "AC" + "1" * 32
TRANSLATOR = packaged_translator()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def twilio() -> Iterator[tuple[FakeTwilio, str]]:
    fake = FakeTwilio(account_sid=SID, auth_token="sms-secret")
    with SmsServer(fake) as server:
        yield fake, server.url


@pytest.fixture
async def wired(
    adapters: Adapters, smtp: SmtpServer, twilio: tuple[FakeTwilio, str]
) -> Iterator[Adapters]:
    email = SmtpEmailSender(
        host="127.0.0.1", port=smtp.port, sender="FusionX <no-reply@example.test>",
        starttls=False, timeout_seconds=5,
    )  # fmt: skip
    sms = TwilioSmsSender(
        base_url=twilio[1], account_sid=SID, auth_token="sms-secret", sender="+15005550006",
        status_callback_url="https://api.fusionx.test/api/v1/sms/status",
    )  # fmt: skip
    yield replace(adapters, email=email, email_later=email, sms=sms)
    await sms.close()


@pytest.fixture
async def live(wired: Adapters) -> Iterator[Client]:
    async with AsyncTestClient(create_app(Settings(), wired)) as client:
        yield client


def text_of(message: MimeMessage) -> str:
    plain = message.get_body(("plain",))
    assert plain is not None
    return str(plain.get_content())  # type: ignore[attr-defined]


async def test_a_code_by_email_in_spanish_signs_in_and_makes_the_account_once(
    live: Client, smtp: SmtpServer
) -> None:
    asked = await live.post(CODE, json={"email": " Ana@Example.com ", "locale": "es"})

    assert asked.status_code == 202, asked.text
    [received] = smtp.received
    assert received.recipients == ["ana@example.com"]
    assert str(received.message["Subject"]).startswith("Tu código de acceso a FusionX")
    code = code_in(text_of(received.message))
    signed_in = await live.post(SIGN_IN, json={"email": "ana@example.com", "code": code})
    assert signed_in.status_code == 200, signed_in.text
    session = signed_in.json()
    assert session["created"] is True
    assert session["token"].startswith("fxc_")
    assert session["customer"]["email"] == "ana@example.com"
    assert session["customer"]["locale"] == "es"
    assert signed_in.headers["Cache-Control"] == "no-store"
    me = {"Authorization": f"Bearer {session['token']}"}
    assert (await live.get(ME, headers=me)).json()["id"] == session["customer"]["id"]

    # The code worked once; a second one signs in to the same account.
    again = await live.post(SIGN_IN, json={"email": "ana@example.com", "code": code})
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "code"
    await live.post(CODE, json={"email": "ana@example.com"})
    code = code_in(text_of(smtp.received[-1].message))
    second = await live.post(SIGN_IN, json={"email": "ana@example.com", "code": code})
    assert second.json()["created"] is False
    assert second.json()["customer"]["id"] == session["customer"]["id"]


async def test_a_code_by_sms_goes_to_the_number_in_e164(
    live: Client, twilio: tuple[FakeTwilio, str]
) -> None:
    asked = await live.post(
        CODE, json={"phone": "+44 7700 900-123"}, headers={"Accept-Language": "fr"}
    )

    assert asked.status_code == 202, asked.text
    [sent] = twilio[0].received
    assert sent["To"] == "+447700900123"
    assert "code de connexion FusionX" in sent["Body"]
    signed_in = await live.post(
        SIGN_IN, json={"phone": "+447700900123", "code": code_in(sent["Body"])}
    )
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["customer"]["phone"] == "+447700900123"


async def test_the_answer_is_the_same_for_a_known_address_and_an_unknown_one(
    live: Client, wired: Adapters
) -> None:
    await make_customer(wired, "bea@example.com")

    known = await live.post(CODE, json={"email": "bea@example.com"})
    unknown = await live.post(CODE, json={"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    said = Message("customer.sign_in.code_sent", {"minutes": 10})
    assert known.json()["detail"] == TRANSLATOR.render(said, "en")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "email"),
        ({"email": "ana@example.com", "phone": "+447700900123"}, "phone"),
        ({"phone": "+0123"}, "phone"),
        ({"email": "ana@example"}, "email"),
        ({"email": "ana@example.com", "locale": "de"}, "locale"),
    ],
)
async def test_a_request_names_one_good_destination(
    live: Client, body: dict[str, str], field: str
) -> None:
    answer = await live.post(CODE, json=body)

    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]


async def test_five_wrong_guesses_kill_the_code(live: Client, smtp: SmtpServer) -> None:
    await live.post(CODE, json={"email": "ana@example.com"})
    code = code_in(text_of(smtp.received[-1].message))
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    for _ in range(5):
        answer = await live.post(SIGN_IN, json={"email": "ana@example.com", "code": wrong})
        assert answer.status_code == 422
    late = await live.post(SIGN_IN, json={"email": "ana@example.com", "code": code})

    assert late.status_code == 422
    assert late.json()["errors"][0]["field"] == "code"


async def test_a_code_expires_after_ten_minutes(
    live: Client, smtp: SmtpServer, clock: ManualClock
) -> None:
    await live.post(CODE, json={"email": "ana@example.com"})
    code = code_in(text_of(smtp.received[-1].message))
    clock.advance(timedelta(minutes=10))

    late = await live.post(SIGN_IN, json={"email": "ana@example.com", "code": code})

    assert late.status_code == 422


async def test_codes_to_one_destination_are_limited(live: Client) -> None:
    for n in range(5):
        sent = await live.post(CODE, json={"email": "ana@example.com"}, headers={"X-Test": str(n)})
        assert sent.status_code == 202, sent.text

    refused = await live.post(CODE, json={"email": "ANA@example.com"})

    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0


async def test_signing_out_ends_the_credential(client: Client, adapters: Adapters) -> None:
    ana = await sign_in_by_email(client, adapters, "ana@example.com")

    assert (await client.post("/api/v1/customer/sign-out", headers=ana)).status_code == 204
    assert (await client.get(ME, headers=ana)).status_code == 401


async def test_a_customer_changes_their_name_and_language(
    client: Client, adapters: Adapters
) -> None:
    ana = await sign_in_by_email(client, adapters, "ana@example.com")

    changed = await client.patch(ME, json={"name": " Ana ", "locale": "fr"}, headers=ana)

    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["locale"]) == ("Ana", "fr")
    cleared = await client.patch(ME, json={"name": None}, headers=ana)
    assert (cleared.json()["name"], cleared.json()["locale"]) == (None, "fr")
    refused = await client.patch(ME, json={"email": "x@example.com"}, headers=ana)
    assert refused.status_code == 422  # not changed here: a code would have to go there


# --- the optional customer of a public route (checkout's) ----------------------------


@get("/who", sync_to_thread=False)
def who(customer: NamedDependency[CustomerPrincipal | None]) -> dict[str, str | None]:
    return {"customer": None if customer is None else str(customer.customer_id)}


@pytest.fixture
async def public(adapters: Adapters) -> Iterator[Client]:
    app = Litestar(
        route_handlers=[who],
        dependencies={
            "adapters": Provide(lambda: adapters, sync_to_thread=False),
            "customer": Provide(provide_optional_customer),
        },
        exception_handlers=exception_handlers(adapters.translator),
    )
    async with AsyncTestClient(app) as client:
        yield client


async def test_a_public_route_knows_a_signed_in_customer_and_refuses_a_dead_token(
    public: Client, adapters: Adapters, sign_in: Any, fleet: Any
) -> None:
    bea = await make_customer(adapters)
    token = await customer_token(adapters, bea.id)

    assert (await public.get("/who")).json() == {"customer": None}
    assert (await public.get("/who", headers=token)).json() == {"customer": str(bea.id)}
    staff = await public.get("/who", headers=await sign_in(fleet.taco_crew))
    assert staff.json() == {"customer": None}  # a staff member checks out as a guest
    dead = await public.get("/who", headers={"Authorization": "Bearer fxc_unknown"})
    assert dead.status_code == 401
