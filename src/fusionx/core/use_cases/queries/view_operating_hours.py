from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.hours import OperatingHours, Today
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import require_staff, require_truck_scope
from fusionx.core.use_cases.steps.hours_in_force import HoursSource, hours_in_force
from fusionx.core.use_cases.steps.location_scope import existing_location
from fusionx.core.use_cases.steps.truck_scope import existing_truck
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class HoursWithToday(msgspec.Struct, frozen=True, kw_only=True):
    """Hours as set, and (where a time zone applies) what they mean today: open now,
    and what opens later on the local date. ``source`` says whose hours ``today`` reads."""

    hours: OperatingHours
    source: HoursSource
    today: Today | None = None


class ViewOperatingHours:
    """Operating hours of a location, or a truck's own.

    Rules:
    - staff: any role for a location; for a truck, staff whose scope it is in (others 404);
    - a location's ``today`` is in its time zone; a truck's ``today`` only while it is
      checked in, in its location's zone, with the hours in force there (its own, else
      the location's).
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def for_location(self, principal: Principal, location_id: UUID) -> HoursWithToday:
        require_staff(principal)
        async with self._uow as uow:
            location = await existing_location(uow, location_id)
            hours = await uow.hours.for_location(location_id)
        source = HoursSource.LOCATION if hours.is_set else HoursSource.NONE
        today = hours.today(self._clock.now(), location.zone) if hours.is_set else None
        return HoursWithToday(hours=hours, source=source, today=today)

    async def for_truck(self, principal: Principal, truck_id: UUID) -> HoursWithToday:
        require_truck_scope(principal, truck_id, "truck", truck_id)
        require_staff(principal)
        async with self._uow as uow:
            await existing_truck(uow, truck_id)
            own = await uow.hours.for_truck(truck_id)
            shift = await uow.shifts.open_for_truck(truck_id)
            location = await uow.locations.get(shift.location_id) if shift else None
            if location is None:
                source = HoursSource.TRUCK if own.is_set else HoursSource.NONE
                return HoursWithToday(hours=own, source=source)
            in_force = await hours_in_force(uow, truck_id, location)
        today = None
        if in_force.hours.is_set:
            today = in_force.hours.today(self._clock.now(), location.zone)
        return HoursWithToday(hours=own, source=in_force.source, today=today)
