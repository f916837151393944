from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import InvalidInput, InvalidInputs
from fusionx.core.model.actors import actor_of
from fusionx.core.model.fleet_events import LocationHoursSet, Stream, TruckHoursSet
from fusionx.core.model.hours import OperatingHours
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role
from fusionx.core.rules.access import require_staff, require_truck_scope
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.location_scope import existing_location
from fusionx.core.use_cases.steps.truck_scope import existing_truck
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class SetHoursRequest(msgspec.Struct, frozen=True, kw_only=True):
    hours: OperatingHours


class SetOperatingHours:
    """Replace a location's or a truck's operating hours: the week and its exceptions.

    Rules:
    - a location's: owners and admins; a truck's own: its managers, admins and owners
      (a truck out of the caller's scope is 404);
    - each interval opens before it closes, unless it is marked overnight (then it
      closes the next day, at or before its opening time); weekdays are 1 to 7; no two
      intervals overlap, in the week (Sunday night into Monday included) or within one
      date's exception; each date is given once; every field in error is named;
    - empty hours are "none set": a truck then follows its location's hours, and a
      location without hours restricts nothing;
    - ``location.hours_set`` on the fleet's stream, ``truck.hours_set`` on the truck's,
      with the hours before and after.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def for_location(
        self, principal: Principal, location_id: UUID, request: SetHoursRequest
    ) -> OperatingHours:
        actor = actor_of(require_staff(principal, Role.ADMIN))
        hours = _valid(request.hours)
        async with self._uow as uow:
            await existing_location(uow, location_id)
            before = await uow.hours.for_location(location_id)
            await uow.hours.set_for_location(location_id, hours)
            event = LocationHoursSet(location_id=location_id, before=before, after=hours)
            await log_fleet_event(uow, Stream.fleet(), self._clock.now(), actor, event)
            await uow.commit()
        return hours

    async def for_truck(
        self, principal: Principal, truck_id: UUID, request: SetHoursRequest
    ) -> OperatingHours:
        require_truck_scope(principal, truck_id, "truck", truck_id)
        actor = actor_of(require_staff(principal, Role.MANAGER))
        hours = _valid(request.hours)
        async with self._uow as uow:
            await existing_truck(uow, truck_id)
            before = await uow.hours.for_truck(truck_id)
            await uow.hours.set_for_truck(truck_id, hours)
            event = TruckHoursSet(truck_id=truck_id, before=before, after=hours)
            await log_fleet_event(uow, Stream.truck(truck_id), self._clock.now(), actor, event)
            await uow.commit()
        return hours


def _valid(hours: OperatingHours) -> OperatingHours:
    InvalidInputs.raise_any([InvalidInput(field, why) for field, why in hours.mistakes()])
    return OperatingHours(
        weekly=tuple(sorted(hours.weekly, key=lambda i: (i.day, i.opens))),
        exceptions=tuple(sorted(hours.exceptions, key=lambda d: d.date)),
    )
