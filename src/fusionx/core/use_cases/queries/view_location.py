from __future__ import annotations

from uuid import UUID

from fusionx.core.model.principals import Principal
from fusionx.core.model.trucks import Location
from fusionx.core.rules.access import require_staff
from fusionx.core.use_cases.steps.location_scope import existing_location
from fusionx.ports.unit_of_work import UnitOfWork


class ViewLocation:
    """One location, active or deactivated: staff of any role (every truck may check in
    at any location)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, principal: Principal, location_id: UUID) -> Location:
        require_staff(principal)
        async with self._uow as uow:
            return await existing_location(uow, location_id)
