"""A truck as a customer sees it from the street: where it stands, its hours today, whether
it takes orders and how long the wait is. Nothing about its staff, stock or costs."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import msgspec

from fusionx.core.model.hours import OpenInterval
from fusionx.core.model.local_time import first_instant_at
from fusionx.core.model.reviews import Rating
from fusionx.core.model.shifts import Shift
from fusionx.core.model.trucks import Location, Truck
from fusionx.core.use_cases.steps.hours_in_force import hours_in_force
from fusionx.core.use_cases.steps.order_admission import promised_from
from fusionx.ports.unit_of_work import UnitOfWork


class TruckFront(msgspec.Struct, frozen=True, kw_only=True):
    """``location`` None while the truck is not checked in anywhere (then it is not open).

    ``hours_today`` are the intervals of the local date that are in force (the truck's
    own hours, else its location's; without any, the whole day), as aware UTC.
    ``wait`` is how long an order placed now would take, by the same promise an order
    gets (the tickets ahead at the shift's recent pace); None while it takes no orders.
    """

    truck: Truck
    at: datetime
    location: Location | None = None
    hours_today: tuple[OpenInterval, ...] = ()
    open_now: bool = False
    taking_orders: bool = False
    wait: timedelta | None = None
    distance_m: int | None = None
    # The truck's rating over its visible reviews: on its own public page only.
    rating: Rating | None = None

    @property
    def open_later_today(self) -> bool:
        return any(span.opens_at > self.at for span in self.hours_today)


async def truck_front(uow: UnitOfWork, truck: Truck, at: datetime) -> TruckFront:
    """The front of an active ``truck`` as of ``at``, from its open shift if it has one."""
    shift = await uow.shifts.open_for_truck(truck.id)
    location = await uow.locations.get(shift.location_id) if shift else None
    if shift is None or location is None or not location.active:
        return TruckFront(truck=truck, at=at)
    hours_today = await _hours_today(uow, truck, location, at)
    open_now = any(span.contains(at) for span in hours_today)
    return TruckFront(
        truck=truck,
        location=location,
        hours_today=hours_today,
        open_now=open_now,
        taking_orders=shift.takes_orders,
        wait=await _wait(uow, shift, at) if shift.takes_orders else None,
        at=at,
    )


async def _hours_today(
    uow: UnitOfWork, truck: Truck, location: Location, at: datetime
) -> tuple[OpenInterval, ...]:
    in_force = await hours_in_force(uow, truck.id, location)
    zone = location.zone
    day = at.astimezone(zone).date()
    if in_force.hours.is_set:
        return tuple(in_force.hours.open_on(day, zone))
    whole_day = OpenInterval(
        opens_at=first_instant_at(day, time(0), zone),
        closes_at=first_instant_at(day + timedelta(days=1), time(0), zone),
    )
    return (whole_day,)


async def _wait(uow: UnitOfWork, shift: Shift, at: datetime) -> timedelta:
    load = await uow.capacity.kitchen_load(shift.id)
    return promised_from(load, now=at, pickup_at=None) - at
