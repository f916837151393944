"""An order's tracking link: the one credential a customer holds without an account.

Whoever holds the token sees that order and nothing else (``GuestPrincipal``). Only a
hash of the token is kept; the token itself is handed out once, when it is issued.
"""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.principals import GuestPrincipal

# The prefix tells scanners and people what a token is (``ports/tracking_links.py``
# makes them: 256 bits, URL-safe).
TOKEN_PREFIX = "fxt_"  # noqa: S105 - a prefix, not a secret
# Longer than any token issued: a longer one is garbage, refused before it is hashed.
MAX_TOKEN_LENGTH = 100


def tracking_hash(token: str) -> str:
    """The token's SHA-256: what is stored and looked up. The token carries 256 random
    bits, so an unsalted fast hash is enough, and a lookup by it reveals nothing of
    how close a guess came."""
    return hashlib.sha256(token.encode()).hexdigest()


class ContactChannel(enum.StrEnum):
    SMS = "sms"
    EMAIL = "email"


class OrderTracking(msgspec.Struct, frozen=True, kw_only=True):
    """An order's tracking: where its messages go, in which language, and whether the
    customer asked for them. ``told_ready_at`` is the ready time the customer was last
    given (the promise, then each new time a slip made them tell)."""

    id: UUID
    order_id: UUID
    token_hash: str
    created_at: datetime
    contact: str | None = None
    channel: ContactChannel | None = None
    locale: str | None = None
    notify: bool = False
    told_ready_at: datetime | None = None

    def guest(self) -> GuestPrincipal:
        """The caller this tracking makes of whoever holds its token."""
        return GuestPrincipal(order_id=self.order_id, token_id=self.id)

    @property
    def reachable(self) -> bool:
        """Whether the customer asked for messages and gave somewhere to send them."""
        return self.notify and self.contact is not None and self.channel is not None
