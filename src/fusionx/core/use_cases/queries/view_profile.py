"""A staff member's own profile: who they are and their notification choices."""

from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.preferences import NotificationPreferences
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import StaffMember
from fusionx.core.rules.access import require_staff
from fusionx.ports.unit_of_work import UnitOfWork


class Profile(msgspec.Struct, frozen=True, kw_only=True):
    staff: StaffMember
    preferences: NotificationPreferences


class ViewProfile:
    """A staff member sees their own profile and notification choices.

    Rules: staff only (a device has no profile), and only their own.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, principal: Principal) -> Profile:
        staff_id = require_staff(principal).staff.id
        async with self._uow as uow:
            return await load_profile(uow, staff_id)


async def load_profile(uow: UnitOfWork, staff_id: UUID) -> Profile:
    staff = await uow.staff.get(staff_id)
    if staff is None:
        raise NotFound("staff member", staff_id)
    return Profile(staff=staff, preferences=await uow.preferences.get(staff.id))
