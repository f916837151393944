"""The caller as ``GET /api/v1/me`` shows them: staff or device, told apart by ``kind``."""

from __future__ import annotations

from typing import Self

from fusionx.core.use_cases.commands.manage_profile import Profile
from fusionx.entrypoints.http.schemas.devices import DeviceView
from fusionx.entrypoints.http.schemas.profile import NotificationChoices, QuietHoursBody
from fusionx.entrypoints.http.schemas.staff import StaffView


class StaffMe(StaffView, frozen=True, kw_only=True, tag_field="kind", tag="staff"):
    """A signed-in staff member (``kind: "staff"``), with their notification choices."""

    notifications: NotificationChoices

    @classmethod
    def of_profile(cls, profile: Profile) -> Self:
        staff, preferences = profile.staff, profile.preferences
        quiet = preferences.quiet_hours
        return cls(
            id=staff.id,
            email=staff.email,
            name=staff.name,
            phone=staff.phone,
            role=staff.role,
            truck_ids=sorted(staff.truck_ids),
            notifications=NotificationChoices(
                channels=preferences.all_choices(),
                quiet_hours=None if quiet is None else QuietHoursBody.of(quiet),
            ),
        )


class DeviceMe(DeviceView, frozen=True, kw_only=True, tag_field="kind", tag="device"):
    """A registered kitchen device (``kind: "device"``)."""


Me = StaffMe | DeviceMe
