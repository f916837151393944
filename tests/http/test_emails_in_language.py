"""Account emails arrive in the recipient's language: their own locale if they chose one,
else the language the request came in, else English; subject, plain and HTML parts.

The password reset goes through a real SMTP server on localhost; the texts expected are
the catalogues' own, and each differs from the English one, so a message left in English
fails here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from email.message import EmailMessage as MimeMessage

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.adapters.email.smtp import SmtpEmailSender
from fusionx.adapters.i18n.babel_translator import packaged_translator
from fusionx.core.messages import Message
from fusionx.core.model.staff import Role
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.settings import Settings
from tests.factories import PASSWORD, make_staff
from tests.http.accounts_helpers import sent
from tests.http.conftest import Headers
from tests.support.smtp_server import SmtpServer

Client = AsyncTestClient[Litestar]
RESET = "/api/v1/auth/password-reset"
TRANSLATOR = packaged_translator()


def say(key: str, locale: str) -> str:
    return TRANSLATOR.render(Message(key), locale)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def smtp_adapters(adapters: Adapters, smtp: SmtpServer) -> Adapters:
    sender = SmtpEmailSender(
        host="127.0.0.1", port=smtp.port, sender="FusionX <no-reply@example.test>",
        starttls=False, timeout_seconds=5,
    )  # fmt: skip
    return replace(adapters, email=sender, email_later=sender)


def parts(message: MimeMessage) -> tuple[str, str, str]:
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None
    assert html is not None
    return (
        str(message["Subject"]),
        plain.get_content(),  # type: ignore[attr-defined]
        html.get_content(),  # type: ignore[attr-defined]
    )


def assert_in(locale: str, subject: str, text: str, html: str, kind: str) -> None:
    """The three parts are the catalogue's ``locale`` texts, not the English ones."""
    expected = say(f"email.{kind}.subject", locale).rpartition("}")[2]  # after the name
    assert expected != say(f"email.{kind}.subject", "en").rpartition("}")[2]
    assert subject.endswith(expected)
    opening = {"es": "Hola", "fr": "Bonjour", "en": "Hello"}[locale]
    assert text.startswith(opening)
    assert f"<p>{opening}" in html


@pytest.mark.parametrize("locale", ["es", "fr"])
async def test_a_reset_asked_in_a_language_arrives_in_it(
    smtp_adapters: Adapters, smtp: SmtpServer, locale: str
) -> None:
    staff = await make_staff(smtp_adapters, role=Role.CREW)

    async with AsyncTestClient(create_app(Settings(), smtp_adapters)) as client:
        answer = await client.post(
            RESET, json={"email": staff.email}, headers={"Accept-Language": f"{locale};q=0.9"}
        )

    assert answer.status_code == 202
    [received] = smtp.received
    assert received.recipients == [staff.email]
    assert_in(locale, *parts(received.message), kind="password_reset")
    accepted = TRANSLATOR.render(Message("accounts.reset.accepted", {"minutes": 30}), locale)
    assert answer.json()["detail"] == accepted


async def test_the_staff_members_own_locale_wins_over_the_request_language(
    smtp_adapters: Adapters, smtp: SmtpServer
) -> None:
    staff = await make_staff(smtp_adapters, role=Role.CREW)

    async with AsyncTestClient(create_app(Settings(), smtp_adapters)) as client:
        login = await client.post(
            "/api/v1/auth/login", json={"email": staff.email, "password": PASSWORD}
        )
        token = login.json()["token"]
        chosen = await client.patch(
            "/api/v1/me", json={"locale": "fr"}, headers={"Authorization": f"Bearer {token}"}
        )
        assert chosen.status_code == 200, chosen.text
        answer = await client.post(
            RESET, json={"email": staff.email}, headers={"Accept-Language": "es"}
        )

    assert answer.status_code == 202
    [received] = smtp.received
    assert_in("fr", *parts(received.message), kind="password_reset")


async def test_an_unknown_email_gets_the_same_answer_in_the_same_language(
    client: Client, adapters: Adapters
) -> None:
    staff = await make_staff(adapters, role=Role.CREW)
    spanish = {"Accept-Language": "es"}

    known = await client.post(RESET, json={"email": staff.email}, headers=spanish)
    unknown = await client.post(RESET, json={"email": "nobody@example.test"}, headers=spanish)

    assert known.status_code == unknown.status_code == 202
    assert known.content == unknown.content
    assert known.json()["detail"].startswith("Si este correo")
    assert [message.to for message in sent(adapters).sent] == [staff.email]


async def test_an_invitation_is_written_in_the_language_it_was_sent_in(
    client: Client, adapters: Adapters, sign_in: Callable[..., Awaitable[Headers]]
) -> None:
    owner = await sign_in(await make_staff(adapters, role=Role.OWNER))
    body = {"email": "mia@example.test", "name": "Mia", "role": "crew"}

    invited = await client.post(
        "/api/v1/staff/invitations", json=body, headers=owner | {"Accept-Language": "es"}
    )

    assert invited.status_code == 201, invited.text
    [message] = sent(adapters).to("mia@example.test")
    assert_in("es", message.subject, message.text, message.html, kind="invitation")
    assert say("role.crew", "es") in message.text


async def test_an_email_change_link_goes_out_in_the_staff_members_locale(
    client: Client, adapters: Adapters, sign_in: Callable[..., Awaitable[Headers]]
) -> None:
    headers = await sign_in(await make_staff(adapters, role=Role.CREW))
    assert (await client.patch("/api/v1/me", json={"locale": "fr"}, headers=headers)).is_success

    moved = await client.post(
        "/api/v1/me/email",
        json={"new_email": "new@example.test", "password": PASSWORD},
        headers=headers | {"Accept-Language": "es"},
    )

    assert moved.status_code == 202, moved.text
    [message] = sent(adapters).to("new@example.test")
    assert_in("fr", message.subject, message.text, message.html, kind="email_change")
