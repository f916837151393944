"""Single-use tokens sent by email: one mechanism for resetting a password, accepting an
invitation and confirming a new email address.

The secret goes out in a link and is never stored: only its SHA-256 is kept (it carries
256 random bits, so a fast unsalted hash is enough, as for session tokens). A token
works once, for one purpose, until it expires.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime, timedelta
from uuid import UUID

import msgspec

# 32 random bytes: 256 bits, like every other bearer secret of ours.
_TOKEN_BYTES = 32
# Tells secret scanners and people an email token from a session (fxs_) or device (fxd_) one.
_PREFIX = "fxe_"


class TokenPurpose(enum.StrEnum):
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose, not a password
    INVITATION = "invitation"
    EMAIL_CHANGE = "email_change"

    @property
    def validity(self) -> timedelta:
        """How long a token of this purpose works after it is issued."""
        return _VALIDITY[self]


_VALIDITY = {
    # Short: whoever reads the mailbox in that half hour can take the account.
    TokenPurpose.PASSWORD_RESET: timedelta(minutes=30),
    # An invitee may not read their mail for days; nothing is at stake before acceptance.
    TokenPurpose.INVITATION: timedelta(days=7),
    TokenPurpose.EMAIL_CHANGE: timedelta(hours=24),
}


class EmailToken(msgspec.Struct, frozen=True, kw_only=True):
    """One issued token: whose (``staff_id``), what for, and the address it was sent to
    (for an email change, the new address it confirms)."""

    id: UUID
    token_hash: str
    purpose: TokenPurpose
    staff_id: UUID
    email: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    def is_usable_at(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


def new_email_secret() -> str:
    return _PREFIX + secrets.token_urlsafe(_TOKEN_BYTES)
