from __future__ import annotations

import msgspec

from fusionx.core.model.actors import actor_of
from fusionx.core.model.fleet_events import Stream, TruckCreated
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role
from fusionx.core.model.trucks import Truck
from fusionx.core.rules.access import require_staff
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


class CreateTruckRequest(msgspec.Struct, frozen=True, kw_only=True):
    name: str


class CreateTruck:
    """Add a truck to the fleet; it starts active.

    Rules:
    - owners and admins (over the API); ``principal`` None is the command line on the
      server, which acts as the system;
    - the name is 1 to 100 characters;
    - ``truck.created`` on the new truck's stream, by whoever created it.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal | None, request: CreateTruckRequest) -> Truck:
        actor = None if principal is None else actor_of(require_staff(principal, Role.ADMIN))
        truck = Truck(
            id=self._ids.new_id(),
            name=require_text("name", request.name, max_length=100),
            created_at=self._clock.now(),
        )
        async with self._uow as uow:
            await uow.trucks.add(truck)
            stream = Stream.truck(truck.id)
            await log_fleet_event(uow, stream, truck.created_at, actor, TruckCreated(truck=truck))
            await uow.commit()
        return truck
