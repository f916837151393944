"""Who can be told about a truck: its devices that take pushes, and its staff with
what they chose and how they can be reached."""

from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.preferences import NotificationPreferences
from fusionx.core.model.staff import Role


class StaffContact(msgspec.Struct, frozen=True, kw_only=True):
    staff_id: UUID
    role: Role
    phone: str | None
    preferences: NotificationPreferences
    has_push: bool  # a working push token is registered
    locale: str | None = None  # the language they read alerts in; None: the default

    @property
    def manages(self) -> bool:
        return self.role.at_least(Role.MANAGER)


class Audience(msgspec.Struct, frozen=True, kw_only=True):
    """``devices``: the truck's live devices with a working push token; ``staff``: the
    active staff assigned to the truck. Both oldest first."""

    devices: tuple[UUID, ...] = ()
    staff: tuple[StaffContact, ...] = ()
