from __future__ import annotations

from typing import Protocol

from fusionx.core.model.emails import EmailMessage


class EmailNotSent(Exception):
    """The mail server did not take the message. ``permanent``: it refused it for good (a
    bad recipient, a rejected sender); otherwise it could not be reached or asked us to
    try later. The text never holds the message's body (its links are secrets)."""

    def __init__(self, detail: str, *, permanent: bool) -> None:
        super().__init__(detail)
        self.permanent = permanent


class EmailSender(Protocol):
    """Hands one message to the mail system; returns once it was accepted for delivery,
    else raises ``EmailNotSent`` (or ``NotConfigured`` when email is off). Never logs the
    message's body: it holds single-use links."""

    async def send(self, message: EmailMessage) -> None: ...
