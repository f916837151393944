from __future__ import annotations

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.model.trucks import Location
from fusionx.core.rules.access import require_staff
from fusionx.core.rules.geo import distance_m
from fusionx.ports.unit_of_work import UnitOfWork


class ListLocationsRequest(msgspec.Struct, frozen=True, kw_only=True):
    active_only: bool = False
    latitude: float | None = None
    longitude: float | None = None
    page: PageRequest = PageRequest()


class NearbyLocation(msgspec.Struct, frozen=True, kw_only=True):
    location: Location
    # From the caller's position, when it gave one and the location has coordinates.
    distance_m: int | None = None


class ListLocations:
    """Service locations for checking a truck in.

    Rules:
    - staff of any role; devices do not check in;
    - optionally only active ones;
    - given the caller's latitude and longitude (both or neither), nearest first with
      the distance in metres, locations without coordinates last; else by name.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, principal: Principal, request: ListLocationsRequest
    ) -> Page[NearbyLocation]:
        require_staff(principal)
        if (request.latitude is None) != (request.longitude is None):
            missing = "lat" if request.latitude is None else "lon"
            raise InvalidInput(missing, Message("locations.lat_lon"))
        async with self._uow as uow:
            locations = await uow.locations.list_all(active_only=request.active_only)
        nearby = [self._measured(location, request) for location in locations]
        if request.latitude is not None:
            nearby.sort(key=lambda n: (n.distance_m is None, n.distance_m or 0, n.location.name))
        page = request.page
        return Page.of_list(nearby, page)

    @staticmethod
    def _measured(location: Location, request: ListLocationsRequest) -> NearbyLocation:
        lat, lon = request.latitude, request.longitude
        if lat is None or lon is None or location.latitude is None or location.longitude is None:
            return NearbyLocation(location=location)
        metres = distance_m(lat, lon, location.latitude, location.longitude)
        return NearbyLocation(location=location, distance_m=round(metres))
