from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.actors import actor_of
from fusionx.core.model.fleet_events import Stream, TruckChanged
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role
from fusionx.core.model.trucks import Truck
from fusionx.core.rules.access import require_staff
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.truck_scope import existing_truck
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class ChangeTruckRequest(msgspec.Struct, frozen=True, kw_only=True):
    """What is left unset stays as it is."""

    name: str | msgspec.UnsetType = msgspec.UNSET


class ChangeTruck:
    """Edit a truck (its name).

    Rules:
    - owners and admins;
    - the name is 1 to 100 characters;
    - ``truck.changed`` on the truck's stream, with the truck before and after; a
      change to nothing is not logged.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, principal: Principal, truck_id: UUID, request: ChangeTruckRequest
    ) -> Truck:
        actor = actor_of(require_staff(principal, Role.ADMIN))
        name = request.name
        async with self._uow as uow:
            before = await existing_truck(uow, truck_id)
            after = before
            if not isinstance(name, msgspec.UnsetType):
                after = after.renamed(require_text("name", name, max_length=100))
            if after != before:
                await uow.trucks.update(after)
                changed = TruckChanged(before=before, after=after)
                await log_fleet_event(
                    uow, Stream.truck(truck_id), self._clock.now(), actor, changed
                )
                await uow.commit()
        return after
