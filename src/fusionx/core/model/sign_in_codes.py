"""One-time sign-in codes: six digits sent by email or SMS, in place of a password.

A code works once, for the destination it was sent to, within ``CODE_VALIDITY``, and
dies after ``MAX_ATTEMPTS`` wrong guesses. Only a hash is kept: SHA-256 of the
destination and the code. Six digits cannot resist an offline search of their hash, so
the hash is no vault: it keeps the codes out of backups, logs and casual reads, and it is
the short life, the attempt limit and single use that protect the account.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from uuid import UUID

import msgspec

CODE_DIGITS = 6
CODE_VALIDITY = timedelta(minutes=10)
# Wrong guesses a code survives: the sixth finds it dead, even with the right digits.
MAX_ATTEMPTS = 5


class SignInCode(msgspec.Struct, frozen=True, kw_only=True):
    """One code as stored. ``destination`` is ``Destination.key``; ``locale`` the
    language its message was written in (a new account starts with it)."""

    id: UUID
    destination: str
    code_hash: str
    created_at: datetime
    expires_at: datetime
    attempts: int = 0
    used_at: datetime | None = None
    locale: str | None = None

    def is_usable_at(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at and self.attempts < MAX_ATTEMPTS


def new_code() -> str:
    """Six random digits, leading zeros kept."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def hash_code(destination: str, code: str) -> str:
    """The code's hash, bound to its destination: a code sent elsewhere never matches."""
    return hashlib.sha256(f"{destination}\n{code}".encode()).hexdigest()
