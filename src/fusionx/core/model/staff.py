"""Staff members: who they are, what role they hold and which trucks they work on."""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

import msgspec


class Role(enum.StrEnum):
    """Roles from most to least powerful. Owner and admin act fleet-wide."""

    OWNER = "owner"
    ADMIN = "admin"
    MANAGER = "manager"
    CREW = "crew"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @property
    def is_fleet_wide(self) -> bool:
        return self in (Role.OWNER, Role.ADMIN)

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


_RANKS = {Role.CREW: 0, Role.MANAGER: 1, Role.ADMIN: 2, Role.OWNER: 3}


class StaffMember(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    email: str
    name: str
    role: Role
    password_hash: str
    created_at: datetime
    phone: str | None = None
    truck_ids: frozenset[UUID] = frozenset()
    active: bool = True
    locale: str | None = None  # the language they chose; None: their client's, else English


def normalize_email(email: str) -> str:
    """Emails are unique regardless of case: this is the form they are compared in."""
    return email.strip().lower()
