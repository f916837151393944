from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, put
from litestar.params import FromPath, JSONBody

from fusionx.core.use_cases.commands.set_operating_hours import SetOperatingHours
from fusionx.core.use_cases.queries.view_operating_hours import ViewOperatingHours
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.hours import HoursBody, HoursView

_READS = problem_responses(400, 401, 403, 404)
_WRITES = problem_responses(400, 401, 403, 404, 413, 422)


class LocationHoursController(Controller):
    path = "/api/v1/locations/{location_id:uuid}/hours"
    tags = ("fleet",)
    security = BEARER

    @get(
        operation_id="getLocationHours",
        summary="A location's operating hours, and whether it is open now and later today",
        responses=_READS,
    )
    async def show(
        self,
        location_id: FromPath[UUID],
        principal: CurrentPrincipal,
        view_operating_hours: UseCase[ViewOperatingHours],
    ) -> HoursView:
        return HoursView.of(await view_operating_hours.for_location(principal, location_id))

    @put(
        operation_id="setLocationHours",
        summary="Replace a location's weekly hours and dated exceptions (owners and admins)",
        responses=_WRITES,
    )
    async def set(
        self,
        location_id: FromPath[UUID],
        data: JSONBody[HoursBody],
        principal: CurrentPrincipal,
        set_operating_hours: UseCase[SetOperatingHours],
    ) -> HoursBody:
        request = data.to_request()
        return HoursBody.of(await set_operating_hours.for_location(principal, location_id, request))


class TruckHoursController(Controller):
    path = "/api/v1/trucks/{truck_id:uuid}/hours"
    tags = ("fleet",)
    security = BEARER

    @get(
        operation_id="getTruckHours",
        summary="A truck's own operating hours, and (checked in) the hours in force today",
        responses=_READS,
    )
    async def show(
        self,
        truck_id: FromPath[UUID],
        principal: CurrentPrincipal,
        view_operating_hours: UseCase[ViewOperatingHours],
    ) -> HoursView:
        return HoursView.of(await view_operating_hours.for_truck(principal, truck_id))

    @put(
        operation_id="setTruckHours",
        summary="Replace a truck's own hours (managers); empty: follow its location's",
        responses=_WRITES,
    )
    async def set(
        self,
        truck_id: FromPath[UUID],
        data: JSONBody[HoursBody],
        principal: CurrentPrincipal,
        set_operating_hours: UseCase[SetOperatingHours],
    ) -> HoursBody:
        return HoursBody.of(
            await set_operating_hours.for_truck(principal, truck_id, data.to_request())
        )
