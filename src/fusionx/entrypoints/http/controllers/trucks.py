from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from fusionx.core.use_cases.commands.change_truck import ChangeTruck
from fusionx.core.use_cases.commands.create_truck import CreateTruck
from fusionx.core.use_cases.commands.set_truck_active import SetTruckActive
from fusionx.core.use_cases.queries.list_trucks import ListTrucks, ListTrucksRequest
from fusionx.core.use_cases.queries.view_truck import ViewTruck
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.paging import Paging
from fusionx.entrypoints.http.schemas.trucks import (
    NewTruckBody,
    TruckChangeBody,
    TruckPage,
    TruckView,
)

Search = Annotated[
    str | None, QueryParameter(max_length=100, description="Part of the name, any case")
]
Active = Annotated[
    bool | None, QueryParameter(description="true: active trucks only; false: deactivated only")
]
_WRITES = problem_responses(400, 401, 403, 404, 409, 413, 422)


class TrucksController(Controller):
    path = "/api/v1/trucks"
    tags = ("fleet",)
    security = BEARER

    @get(
        operation_id="listTrucks",
        summary="The trucks, by name: owners and admins all, managers and crew their own",
        responses=problem_responses(400, 401, 403, 422),
    )
    async def list_trucks(
        self,
        *,
        principal: CurrentPrincipal,
        list_trucks: UseCase[ListTrucks],
        q: Search = None,
        active: Active = None,
        page: Paging,
    ) -> TruckPage:
        request = ListTrucksRequest(search=q, active=active, page=page)
        return TruckPage.of(await list_trucks.execute(principal, request))

    @get(
        "/{truck_id:uuid}",
        operation_id="getTruck",
        summary="One truck, active or deactivated",
        responses=problem_responses(400, 401, 403, 404),
    )
    async def show(
        self, truck_id: FromPath[UUID], principal: CurrentPrincipal, view_truck: UseCase[ViewTruck]
    ) -> TruckView:
        return TruckView.of(await view_truck.execute(principal, truck_id))

    @post(
        operation_id="createTruck",
        summary="Add a truck to the fleet (owners and admins); it starts active",
        responses=problem_responses(400, 401, 403, 413, 422),
    )
    async def create(
        self,
        data: JSONBody[NewTruckBody],
        principal: CurrentPrincipal,
        create_truck: UseCase[CreateTruck],
    ) -> TruckView:
        return TruckView.of(await create_truck.execute(principal, data.to_request()))

    @patch(
        "/{truck_id:uuid}",
        operation_id="changeTruck",
        summary="Rename a truck (owners and admins)",
        responses=_WRITES,
    )
    async def change(
        self,
        truck_id: FromPath[UUID],
        data: JSONBody[TruckChangeBody],
        principal: CurrentPrincipal,
        change_truck: UseCase[ChangeTruck],
    ) -> TruckView:
        return TruckView.of(await change_truck.execute(principal, truck_id, data.to_request()))

    @post(
        "/{truck_id:uuid}/deactivate",
        status_code=200,
        operation_id="deactivateTruck",
        summary="Retire a truck: no shift, no order; its history stays (owners and admins)",
        responses=problem_responses(400, 401, 403, 404, 409),
    )
    async def deactivate(
        self,
        truck_id: FromPath[UUID],
        principal: CurrentPrincipal,
        set_truck_active: UseCase[SetTruckActive],
    ) -> TruckView:
        return TruckView.of(await set_truck_active.deactivate(principal, truck_id))

    @post(
        "/{truck_id:uuid}/reactivate",
        status_code=200,
        operation_id="reactivateTruck",
        summary="Bring a deactivated truck back (owners and admins)",
        responses=problem_responses(400, 401, 403, 404, 409),
    )
    async def reactivate(
        self,
        truck_id: FromPath[UUID],
        principal: CurrentPrincipal,
        set_truck_active: UseCase[SetTruckActive],
    ) -> TruckView:
        return TruckView.of(await set_truck_active.reactivate(principal, truck_id))
