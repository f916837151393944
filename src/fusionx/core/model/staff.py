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

    @property
    def is_active_owner(self) -> bool:
        return self.active and self.role is Role.OWNER

    def with_role(self, role: Role) -> StaffMember:
        return msgspec.structs.replace(self, role=role)

    def assigned_to(self, truck_id: UUID) -> StaffMember:
        return msgspec.structs.replace(self, truck_ids=self.truck_ids | {truck_id})

    def unassigned_from(self, truck_id: UUID) -> StaffMember:
        return msgspec.structs.replace(self, truck_ids=self.truck_ids - {truck_id})

    def deactivated(self) -> StaffMember:
        return msgspec.structs.replace(self, active=False)

    def reactivated(self) -> StaffMember:
        return msgspec.structs.replace(self, active=True)


class StaffScope(msgspec.Struct, frozen=True, kw_only=True):
    """Whom a manager sees: the crew of ``truck_ids``, and ``me``."""

    truck_ids: frozenset[UUID]
    me: UUID

    def covers(self, staff: StaffMember) -> bool:
        if staff.id == self.me:
            return True
        return staff.role is Role.CREW and not self.truck_ids.isdisjoint(staff.truck_ids)


class StaffFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Search criteria; None matches anything. ``text`` is a part of the name or email,
    ignoring case; ``scope`` None means the whole fleet."""

    text: str | None = None
    role: Role | None = None
    active: bool | None = None
    truck_id: UUID | None = None
    scope: StaffScope | None = None

    def matches(self, staff: StaffMember) -> bool:
        """What every repository's search keeps (the in-memory one asks this directly)."""
        if self.text and not any(
            self.text.lower() in value.lower() for value in (staff.name, staff.email)
        ):
            return False
        return (
            (self.role is None or staff.role is self.role)
            and (self.active is None or staff.active is self.active)
            and (self.truck_id is None or self.truck_id in staff.truck_ids)
            and (self.scope is None or self.scope.covers(staff))
        )


def normalize_email(email: str) -> str:
    """Emails are unique regardless of case: this is the form they are compared in."""
    return email.strip().lower()
