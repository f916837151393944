from __future__ import annotations

import msgspec

from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.model.trucks import Truck
from fusionx.core.rules.access import can_act_on_truck, require_staff
from fusionx.ports.unit_of_work import UnitOfWork


class ListTrucksRequest(msgspec.Struct, frozen=True, kw_only=True):
    search: str | None = None  # part of the name, any case
    active: bool | None = None  # None: active and deactivated alike
    page: PageRequest = PageRequest()


class ListTrucks:
    """The fleet's trucks, by name, for administration.

    Rules:
    - staff: owners and admins see every truck, managers and crew the trucks they are
      assigned to; devices and customers may not;
    - ``search`` keeps the trucks whose name holds it (any case), ``active`` the active
      (true) or the deactivated (false) ones.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, principal: Principal, request: ListTrucksRequest) -> Page[Truck]:
        require_staff(principal)
        needle = (request.search or "").strip().casefold()
        async with self._uow as uow:
            trucks = [
                truck
                for truck in await uow.trucks.list_all()
                if can_act_on_truck(principal, truck.id)
                and needle in truck.name.casefold()
                and request.active in (None, truck.active)
            ]
        return Page.of_list(trucks, request.page)
