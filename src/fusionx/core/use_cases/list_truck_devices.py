from __future__ import annotations

from uuid import UUID

from fusionx.core.errors import NotFound
from fusionx.core.model.devices import Device
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import require_staff, require_truck_scope
from fusionx.ports.unit_of_work import UnitOfWork


class ListTruckDevices:
    """Staff of a truck (any role) see its devices, revoked ones included."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, principal: Principal, truck_id: UUID, page: PageRequest
    ) -> Page[Device]:
        require_truck_scope(principal, truck_id, "truck", truck_id)
        require_staff(principal)
        async with self._uow as uow:
            if await uow.trucks.get(truck_id) is None:
                raise NotFound("truck", truck_id)
            return await uow.devices.list_for_truck(truck_id, page)
