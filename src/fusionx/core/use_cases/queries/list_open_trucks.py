from __future__ import annotations

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.rules.geo import distance_m
from fusionx.core.use_cases.steps.truck_front import TruckFront, truck_front
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork

MAX_RADIUS_KM = 50.0


class NearbyTrucksRequest(msgspec.Struct, frozen=True, kw_only=True):
    latitude: float
    longitude: float
    radius_km: float = 10.0
    page: PageRequest = PageRequest()


class ListOpenTrucks:
    """The trucks a customer can go to today near a point; anyone may ask (no sign-in).

    Rules:
    - a truck is listed when it is active, checked in (an open or paused shift) at an
      active location with coordinates within ``radius_km`` (more than 0, at most
      ``MAX_RADIUS_KM``) of the point, and its hours in force are open now or open
      later on the location's local date;
    - nearest first (then by name), with the distance in metres, a page at a time;
    - each says whether it takes orders now and the wait an order placed now gets.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, request: NearbyTrucksRequest) -> Page[TruckFront]:
        if not 0 < request.radius_km <= MAX_RADIUS_KM:
            raise InvalidInput(
                "radius_km",
                Message("storefront.radius.out_of_range", {"maximum": int(MAX_RADIUS_KM)}),
            )
        at = self._clock.now()
        radius_m = request.radius_km * 1000
        found = []
        async with self._uow as uow:
            for truck in await uow.trucks.list_all():
                if not truck.active:
                    continue
                front = await truck_front(uow, truck, at)
                location = front.location
                if location is None or location.latitude is None or location.longitude is None:
                    continue
                metres = distance_m(
                    request.latitude, request.longitude, location.latitude, location.longitude
                )
                if metres <= radius_m and (front.open_now or front.open_later_today):
                    found.append(msgspec.structs.replace(front, distance_m=round(metres)))
        found.sort(key=lambda front: (front.distance_m or 0, front.truck.name, front.truck.id))
        return Page.of_list(found, request.page)
