from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.model.shifts import Shift
from fusionx.core.model.trucks import Location, Truck
from fusionx.core.rules.access import can_act_on_truck, require_operator, require_truck_scope
from fusionx.core.use_cases.steps.truck_scope import existing_truck
from fusionx.ports.unit_of_work import UnitOfWork


class TruckOnDuty(msgspec.Struct, frozen=True, kw_only=True):
    truck: Truck
    # The truck's shift that is not closed, and where it is, if it has one.
    shift: Shift | None = None
    location: Location | None = None


class ListMyTrucks:
    """The active trucks the caller can act on, each with its open shift, by name.

    Crew and managers see the trucks they are assigned to, owners and admins all of
    them, a device its own truck. ``of_truck`` gives one of them, active or not; a
    truck outside the caller's scope is not found (404), as if it did not exist.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, principal: Principal, page: PageRequest) -> Page[TruckOnDuty]:
        require_operator(principal)
        async with self._uow as uow:
            trucks = [
                truck
                for truck in await uow.trucks.list_all()
                if truck.active and can_act_on_truck(principal, truck.id)
            ]
            items = [
                await _on_duty(uow, truck)
                for truck in trucks[page.offset : page.offset + page.limit]
            ]
        return Page(items=items, total=len(trucks), limit=page.limit, offset=page.offset)

    async def of_truck(self, principal: Principal, truck_id: UUID) -> TruckOnDuty:
        # Out of scope is 404 for everyone, customers included: a truck's existence is
        # not theirs to learn of from a staff read.
        require_truck_scope(principal, truck_id, "truck", truck_id)
        async with self._uow as uow:
            truck = await existing_truck(uow, truck_id)
            return await _on_duty(uow, truck)


async def _on_duty(uow: UnitOfWork, truck: Truck) -> TruckOnDuty:
    shift = await uow.shifts.open_for_truck(truck.id)
    location = await uow.locations.get(shift.location_id) if shift else None
    return TruckOnDuty(truck=truck, shift=shift, location=location)
