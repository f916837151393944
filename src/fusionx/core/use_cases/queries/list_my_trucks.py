from __future__ import annotations

import msgspec

from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.model.shifts import Shift
from fusionx.core.model.trucks import Location, Truck
from fusionx.core.rules.access import can_act_on_truck, require_operator
from fusionx.ports.unit_of_work import UnitOfWork


class TruckOnDuty(msgspec.Struct, frozen=True, kw_only=True):
    truck: Truck
    # The truck's shift that is not closed, and where it is, if it has one.
    shift: Shift | None = None
    location: Location | None = None


class ListMyTrucks:
    """The active trucks the caller can act on, each with its open shift, by name.

    Crew and managers see the trucks they are assigned to, owners and admins all of
    them, a device its own truck.
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
            items = []
            for truck in trucks[page.offset : page.offset + page.limit]:
                shift = await uow.shifts.open_for_truck(truck.id)
                location = await uow.locations.get(shift.location_id) if shift else None
                items.append(TruckOnDuty(truck=truck, shift=shift, location=location))
        return Page(items=items, total=len(trucks), limit=page.limit, offset=page.offset)
