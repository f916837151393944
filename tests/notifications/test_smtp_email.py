"""The SMTP adapter against a real SMTP server on localhost (aiosmtpd)."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage as MimeMessage

import pytest

from fusionx.adapters.email.smtp import SmtpEmailSender
from fusionx.adapters.i18n.babel_translator import packaged_translator
from fusionx.core.model.emails import EmailMessage
from fusionx.core.model.staff import Role
from fusionx.core.use_cases.steps import account_emails
from fusionx.ports.email_sender import EmailNotSent
from tests.support.smtp_server import SmtpServer, free_port

SENDER = "FusionX <no-reply@fusionx.test>"
LINK = "https://app.fusionx.test/account/accept-invitation#token=fxe_abc"


@pytest.fixture
def server() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


def sender_to(port: int) -> SmtpEmailSender:
    return SmtpEmailSender(
        host="127.0.0.1", port=port, sender=SENDER, starttls=False, timeout_seconds=5
    )


def invitation(to: str = "ana@example.test", name: str = "Ana <b>& co</b>") -> EmailMessage:
    return account_emails.invitation(
        packaged_translator(), "en", to,
        name=name, inviter="Olga", role=Role.MANAGER, days=7, link=LINK,
    )  # fmt: skip


def parts(message: MimeMessage) -> dict[str, str]:
    return {
        part.get_content_type(): str(part.get_content())  # type: ignore[attr-defined]
        for part in message.iter_parts()
    }


async def test_a_message_arrives_as_multipart_alternative_with_both_parts(
    server: SmtpServer,
) -> None:
    await sender_to(server.port).send(invitation())

    [received] = server.received
    mail = received.message
    assert received.recipients == ["ana@example.test"]
    assert received.sender == "no-reply@fusionx.test"
    assert mail["To"] == "ana@example.test"
    assert mail["From"] == SENDER
    assert mail["Subject"] == "Olga invited you to FusionX"
    assert mail["Date"] is not None
    assert mail["Message-ID"].endswith("@fusionx.test>")
    assert mail.get_content_type() == "multipart/alternative"
    bodies = parts(mail)
    assert list(bodies) == ["text/plain", "text/html"]
    assert "Hello Ana <b>& co</b>," in bodies["text/plain"]
    assert LINK in bodies["text/plain"]
    # Whatever a person typed is text in the HTML part, never markup.
    assert "Ana &lt;b&gt;&amp; co&lt;/b&gt;" in bodies["text/html"]
    assert "<b>" not in bodies["text/html"]
    assert f'href="{LINK}"' in bodies["text/html"]


async def test_non_ascii_text_survives_the_trip(server: SmtpServer) -> None:
    await sender_to(server.port).send(invitation(name="Zoë Ñúñez"))

    bodies = parts(server.received[0].message)
    assert "Hello Zoë Ñúñez," in bodies["text/plain"]
    assert "Zoë Ñúñez" in bodies["text/html"]


async def test_a_refused_recipient_is_a_permanent_failure(server: SmtpServer) -> None:
    server.handler.refuse.add("gone@example.test")

    with pytest.raises(EmailNotSent) as raised:
        await sender_to(server.port).send(invitation(to="gone@example.test"))

    assert raised.value.permanent
    assert LINK not in str(raised.value)
    assert server.received == []


async def test_a_temporary_refusal_is_worth_trying_again(server: SmtpServer) -> None:
    server.handler.refuse.add("busy@example.test")
    server.handler.refusal = "451 4.3.0 Try again later"

    with pytest.raises(EmailNotSent) as raised:
        await sender_to(server.port).send(invitation(to="busy@example.test"))

    assert not raised.value.permanent


async def test_a_server_that_cannot_be_reached_is_a_transient_failure() -> None:
    with pytest.raises(EmailNotSent) as raised:
        await sender_to(free_port()).send(invitation())

    assert not raised.value.permanent
    assert "cannot be reached" in str(raised.value)
