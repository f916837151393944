"""The staff member a use case acts on, found and within the caller's sight."""

from __future__ import annotations

from uuid import UUID

from fusionx.core.errors import NotFound
from fusionx.core.model.principals import StaffPrincipal
from fusionx.core.model.staff import StaffMember
from fusionx.core.rules.access import require_staff_visible
from fusionx.ports.unit_of_work import UnitOfWork


async def staff_in_scope(uow: UnitOfWork, caller: StaffPrincipal, staff_id: UUID) -> StaffMember:
    """The staff member, or 404 when there is none or the caller may not see them."""
    staff = await uow.staff.get(staff_id)
    if staff is None:
        raise NotFound("staff member", staff_id)
    require_staff_visible(caller, staff)
    return staff
