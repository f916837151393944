from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from fusionx.core.use_cases.queries.list_locations import ListLocations, ListLocationsRequest
from fusionx.core.use_cases.queries.list_my_trucks import ListMyTrucks
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.paging import Paging
from fusionx.entrypoints.http.schemas.discovery import LocationPage, MyTruckPage

Latitude = Annotated[float | None, QueryParameter(ge=-90, le=90, description="Your latitude")]
Longitude = Annotated[float | None, QueryParameter(ge=-180, le=180, description="Your longitude")]
ActiveOnly = Annotated[bool, QueryParameter(name="active", description="Only active ones")]


class MyTrucksController(Controller):
    path = "/api/v1/me/trucks"
    tags = ("auth",)
    security = BEARER

    @get(
        operation_id="listMyTrucks",
        summary="The active trucks you can act on, each with its open shift (state, where, since)",
        responses=problem_responses(400, 401, 422),
    )
    async def list_trucks(
        self,
        principal: CurrentPrincipal,
        list_my_trucks: UseCase[ListMyTrucks],
        page: Paging,
    ) -> MyTruckPage:
        return MyTruckPage.of(await list_my_trucks.execute(principal, page))


class LocationsController(Controller):
    path = "/api/v1/locations"
    tags = ("shifts",)
    security = BEARER

    @get(
        operation_id="listLocations",
        summary="Service locations to check in at; nearest first, with distance, given lat/lon",
        responses=problem_responses(400, 401, 403, 422),
    )
    async def list_locations(
        self,
        *,
        principal: CurrentPrincipal,
        list_locations: UseCase[ListLocations],
        active: ActiveOnly = False,
        lat: Latitude = None,
        lon: Longitude = None,
        page: Paging,
    ) -> LocationPage:
        request = ListLocationsRequest(
            active_only=active,
            latitude=lat,
            longitude=lon,
            page=page,
        )
        return LocationPage.of(await list_locations.execute(principal, request))
