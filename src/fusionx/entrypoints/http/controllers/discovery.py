from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from fusionx.core.use_cases.commands.change_location import ChangeLocation
from fusionx.core.use_cases.commands.create_location import CreateLocation
from fusionx.core.use_cases.commands.set_location_active import SetLocationActive
from fusionx.core.use_cases.queries.list_locations import ListLocations, ListLocationsRequest
from fusionx.core.use_cases.queries.list_my_trucks import ListMyTrucks
from fusionx.core.use_cases.queries.view_location import ViewLocation
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.paging import Paging
from fusionx.entrypoints.http.schemas.discovery import (
    LocationChangeBody,
    LocationPage,
    LocationView,
    MyTruckPage,
    NewLocationBody,
)

Latitude = Annotated[float | None, QueryParameter(ge=-90, le=90, description="Your latitude")]
Longitude = Annotated[float | None, QueryParameter(ge=-180, le=180, description="Your longitude")]
ActiveOnly = Annotated[bool, QueryParameter(name="active", description="Only active ones")]
_WRITES = problem_responses(400, 401, 403, 404, 409, 413, 422)


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

    @get(
        "/{location_id:uuid}",
        operation_id="getLocation",
        summary="One service location, active or deactivated",
        responses=problem_responses(400, 401, 403, 404),
    )
    async def show(
        self,
        location_id: FromPath[UUID],
        principal: CurrentPrincipal,
        view_location: UseCase[ViewLocation],
    ) -> LocationView:
        return LocationView.of_location(await view_location.execute(principal, location_id))

    @post(
        operation_id="createLocation",
        summary="Add a service location (owners and admins); time zone and coordinates checked",
        responses=problem_responses(400, 401, 403, 413, 422),
    )
    async def create(
        self,
        data: JSONBody[NewLocationBody],
        principal: CurrentPrincipal,
        create_location: UseCase[CreateLocation],
    ) -> LocationView:
        return LocationView.of_location(await create_location.execute(principal, data.to_request()))

    @patch(
        "/{location_id:uuid}",
        operation_id="changeLocation",
        summary="Edit a location's name, time zone, address or coordinates (owners and admins)",
        responses=_WRITES,
    )
    async def change(
        self,
        location_id: FromPath[UUID],
        data: JSONBody[LocationChangeBody],
        principal: CurrentPrincipal,
        change_location: UseCase[ChangeLocation],
    ) -> LocationView:
        changed = await change_location.execute(principal, location_id, data.to_request())
        return LocationView.of_location(changed)

    @post(
        "/{location_id:uuid}/deactivate",
        status_code=200,
        operation_id="deactivateLocation",
        summary="Retire a location: no truck checks in there (owners and admins)",
        responses=problem_responses(400, 401, 403, 404, 409),
    )
    async def deactivate(
        self,
        location_id: FromPath[UUID],
        principal: CurrentPrincipal,
        set_location_active: UseCase[SetLocationActive],
    ) -> LocationView:
        return LocationView.of_location(
            await set_location_active.deactivate(principal, location_id)
        )

    @post(
        "/{location_id:uuid}/reactivate",
        status_code=200,
        operation_id="reactivateLocation",
        summary="Bring a deactivated location back (owners and admins)",
        responses=problem_responses(400, 401, 403, 404, 409),
    )
    async def reactivate(
        self,
        location_id: FromPath[UUID],
        principal: CurrentPrincipal,
        set_location_active: UseCase[SetLocationActive],
    ) -> LocationView:
        return LocationView.of_location(
            await set_location_active.reactivate(principal, location_id)
        )
