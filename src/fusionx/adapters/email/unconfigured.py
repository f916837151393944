from __future__ import annotations

from fusionx.core.errors import NotConfigured
from fusionx.core.messages import Message
from fusionx.core.model.emails import EmailMessage


class UnconfiguredEmailSender:
    """``EmailSender`` without SMTP settings: nothing goes out, and it says so (503)."""

    async def send(self, message: EmailMessage) -> None:  # noqa: ARG002
        raise NotConfigured(Message("email.not_configured"))
