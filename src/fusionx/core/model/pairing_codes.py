"""Pairing codes: how a kitchen tablet's browser becomes a truck's device without anyone
typing (or seeing) a long device credential.

A manager asks for a code for one of their trucks; the tablet's board page takes it and
gets a new device of that truck, whose credential goes straight into an ``HttpOnly``
cookie. A code is eight characters from an alphabet without look-alikes (no 0/O, 1/I/L),
about 40 bits: it works once, within ``PAIRING_VALIDITY``. Only its SHA-256 is kept, so
backups, logs and casual reads hold nothing usable. Wrong guesses are counted per client
address (``rules.login_throttle.PAIRING_ADDRESS_POLICY``): a code names no account to
count them against, and 40 bits for five minutes behind that limit are out of reach.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from uuid import UUID

import msgspec

PAIRING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PAIRING_CODE_LENGTH = 8
PAIRING_VALIDITY = timedelta(minutes=5)


class PairingCode(msgspec.Struct, frozen=True, kw_only=True):
    """One code as stored: the truck and label of the device it will make."""

    id: UUID
    truck_id: UUID
    label: str
    code_hash: str
    created_by: UUID  # the staff member who asked for it
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    def is_usable_at(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


def new_pairing_code() -> str:
    return "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(PAIRING_CODE_LENGTH))


def normalized_pairing_code(typed: str) -> str | None:
    """What the tablet typed, as issued: case, spaces and dashes forgiven; None when it
    cannot be a code at all."""
    code = typed.strip().upper().replace("-", "").replace(" ", "")
    if len(code) != PAIRING_CODE_LENGTH or any(c not in PAIRING_ALPHABET for c in code):
        return None
    return code


def hash_pairing_code(code: str) -> str:
    return hashlib.sha256(f"pairing\n{code}".encode()).hexdigest()
