from __future__ import annotations

from uuid import UUID

from fusionx.core.model.principals import Principal
from fusionx.core.model.trucks import Truck
from fusionx.core.rules.access import require_staff, require_truck_scope
from fusionx.core.use_cases.steps.truck_scope import existing_truck
from fusionx.ports.unit_of_work import UnitOfWork


class ViewTruck:
    """One truck, active or deactivated: staff whose scope it is in; others get 404."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, principal: Principal, truck_id: UUID) -> Truck:
        require_truck_scope(principal, truck_id, "truck", truck_id)
        require_staff(principal)
        async with self._uow as uow:
            return await existing_truck(uow, truck_id)
