"""Bearer credentials. Only a hash of the secret is ever kept."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime
from uuid import UUID

import msgspec

# 32 random bytes: 256 bits of entropy, as the auth contract promises.
_TOKEN_BYTES = 32


class PrincipalKind(enum.StrEnum):
    STAFF = "staff"
    DEVICE = "device"
    # A customer: an account signed in by a one-time code (``sign_in_codes``). As the
    # actor of an order placed ahead, their account's id when signed in, else (a guest)
    # the id of the order they placed. What they place is theirs; they act on no truck.
    CUSTOMER = "customer"
    # The payment gateway, known by the signature on its notifications; it holds no token.
    GATEWAY = "gateway"
    # Whoever holds an order's tracking token (the id is the order's); it holds no account.
    GUEST = "guest"


_PREFIX = {
    PrincipalKind.STAFF: "fxs_",
    PrincipalKind.DEVICE: "fxd_",
    PrincipalKind.CUSTOMER: "fxc_",
}


class AccessToken(msgspec.Struct, frozen=True, kw_only=True):
    """A credential: a staff session token, a device's long-lived token or a customer's."""

    id: UUID
    token_hash: str
    kind: PrincipalKind
    subject_id: UUID
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    # A staff session's sign-in: the client's user agent and address, and when it was
    # last seen using it (recorded at most once per ``SESSION_SEEN_EVERY``).
    user_agent: str | None = None
    client_address: str | None = None
    last_seen_at: datetime | None = None

    def is_usable_at(self, now: datetime) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or now < self.expires_at


def new_secret(kind: PrincipalKind) -> str:
    """A fresh opaque token. The prefix lets secret scanners and humans tell them apart."""
    return _PREFIX[kind] + secrets.token_urlsafe(_TOKEN_BYTES)


def hash_secret(secret: str) -> str:
    """Tokens carry 256 random bits, so a fast unsalted hash is enough to store them."""
    return hashlib.sha256(secret.encode()).hexdigest()
