"""Email over SMTP (aiosmtplib): one connection per message, STARTTLS and login when set."""

from __future__ import annotations

from email.message import EmailMessage as MimeMessage
from email.utils import formatdate, make_msgid, parseaddr

import aiosmtplib

from fusionx.core.model.emails import EmailMessage
from fusionx.ports.email_sender import EmailNotSent


def mime(message: EmailMessage, sender: str) -> MimeMessage:
    """``message`` as MIME: multipart/alternative, its plain text first, then its HTML."""
    mail = MimeMessage()
    mail["From"] = sender
    mail["To"] = message.to
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(usegmt=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    mail["Message-ID"] = (
        make_msgid(domain=domain)
        if message.key is None
        else f"<{message.key}@{domain or 'fusionx'}>"
    )
    mail.set_content(message.text)
    mail.add_alternative(message.html, subtype="html")
    return mail


class SmtpEmailSender:
    """``EmailSender`` to an SMTP server. Errors become ``EmailNotSent``, permanent for
    a 5xx refusal (a recipient or sender the server will never take), transient for a
    4xx or a server that cannot be reached; their text names the server's answer, never
    the message."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = True,
        timeout_seconds: float = 30.0,
    ) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._username = username
        self._password = password
        self._starttls = starttls
        self._timeout = timeout_seconds

    async def send(self, message: EmailMessage) -> None:
        try:
            await aiosmtplib.send(
                mime(message, self._sender),
                hostname=self._host,
                port=self._port,
                username=self._username,
                password=self._password,
                start_tls=self._starttls,
                timeout=self._timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = sorted({response.code for response in error.recipients})
            permanent = all(code >= 500 for code in codes)
            raise EmailNotSent(f"recipient refused ({codes})", permanent=permanent) from None
        except aiosmtplib.SMTPResponseException as error:
            raise EmailNotSent(
                f"the mail server answered {error.code}", permanent=error.code >= 500
            ) from None
        except (aiosmtplib.SMTPException, OSError) as error:
            raise EmailNotSent(
                f"the mail server cannot be reached: {type(error).__name__}", permanent=False
            ) from None
