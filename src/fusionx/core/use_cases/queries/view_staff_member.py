from __future__ import annotations

from uuid import UUID

from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.rules.access import require_staff
from fusionx.core.use_cases.steps.staff_scope import staff_in_scope
from fusionx.ports.unit_of_work import UnitOfWork


class ViewStaffMember:
    """One staff member, for owners and admins, or a manager who sees them (their own
    trucks' crew and themselves); anyone else a manager asks for is 404."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, principal: Principal, staff_id: UUID) -> StaffMember:
        caller = require_staff(principal, Role.MANAGER)
        async with self._uow as uow:
            return await staff_in_scope(uow, caller, staff_id)
