"""An email as the core composes it: one recipient, a subject, and the same text twice,
plain and HTML. How it travels (SMTP, a test's memory) is the ``EmailSender``'s affair."""

from __future__ import annotations

import msgspec


class EmailMessage(msgspec.Struct, frozen=True, kw_only=True):
    to: str
    subject: str
    text: str
    html: str
    # Names the email for good (its Message-ID), where sending it again must be
    # recognisable as the same email; None: a new one each time.
    key: str | None = None
