from __future__ import annotations

from uuid import UUID

from fusionx.core.model.actors import actor_of
from fusionx.core.model.fleet_events import LocationDeactivated, LocationReactivated, Stream
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role
from fusionx.core.model.trucks import Location
from fusionx.core.rules.access import require_staff
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.location_scope import existing_location
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class SetLocationActive:
    """Retire a location, or bring it back.

    Rules:
    - owners and admins;
    - no truck checks in at a deactivated location; shifts already open there go on,
      and its history stays;
    - deactivating an inactive location, or reactivating an active one, is a conflict;
    - ``location.deactivated`` / ``location.reactivated`` on the fleet's stream.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def deactivate(self, principal: Principal, location_id: UUID) -> Location:
        actor = actor_of(require_staff(principal, Role.ADMIN))
        async with self._uow as uow:
            before = await existing_location(uow, location_id)
            after = before.deactivated()
            await uow.locations.update(after)
            event = LocationDeactivated(before=before, after=after)
            await log_fleet_event(uow, Stream.fleet(), self._clock.now(), actor, event)
            await uow.commit()
        return after

    async def reactivate(self, principal: Principal, location_id: UUID) -> Location:
        actor = actor_of(require_staff(principal, Role.ADMIN))
        async with self._uow as uow:
            before = await existing_location(uow, location_id)
            after = before.reactivated()
            await uow.locations.update(after)
            event = LocationReactivated(before=before, after=after)
            await log_fleet_event(uow, Stream.fleet(), self._clock.now(), actor, event)
            await uow.commit()
        return after
