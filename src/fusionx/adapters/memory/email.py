"""A fake ``EmailSender`` that keeps what it was asked to send (the in-memory outbox of
tests and of a demo without a mail server)."""

from __future__ import annotations

from collections import deque

from fusionx.core.model.emails import EmailMessage
from fusionx.ports.email_sender import EmailNotSent


class RecordingEmailSender:
    """``sent`` holds every message taken; ``refusals`` scripts the next answers: each
    queued ``EmailNotSent`` is raised once, in order, instead of taking a message."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []
        self.refusals: deque[EmailNotSent] = deque()

    async def send(self, message: EmailMessage) -> None:
        if self.refusals:
            raise self.refusals.popleft()
        self.sent.append(message)

    def to(self, address: str) -> list[EmailMessage]:
        """The messages sent to ``address``, oldest first."""
        return [message for message in self.sent if message.to == address]
