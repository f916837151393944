from __future__ import annotations

from uuid import UUID

from fusionx.core.errors import NotFound
from fusionx.core.model.menu import TruckMenuEntry
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import can_act_on_truck
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.unit_of_work import UnitOfWork


class ViewTruckMenu:
    """Which catalogue items a truck sells, at what price there (see ``SetTruckMenu``).

    Rules: anyone who may act on the truck; to others the truck is not found. An empty
    selection means the truck sells the whole catalogue at catalogue prices.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, principal: Principal, truck_id: UUID) -> list[TruckMenuEntry]:
        if not can_act_on_truck(principal, truck_id):
            raise NotFound("truck", truck_id)
        async with self._uow as uow:
            await require_truck_exists(uow, truck_id)
            return await uow.menu.truck_menu(truck_id)
