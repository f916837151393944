from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, put
from litestar.params import FromPath, JSONBody

from fusionx.core.use_cases.commands.set_capacity import SetCapacity
from fusionx.core.use_cases.queries.view_capacity import ViewCapacity
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.capacity import CapacityBody, CapacityView


class ShiftCapacityController(Controller):
    path = "/api/v1/shifts/{shift_id:uuid}/capacity"
    tags = ("capacity",)
    security = BEARER

    @get(
        operation_id="getShiftCapacity",
        summary="The throttle and pickup slots in force for a shift (its own or its truck's)",
        responses=problem_responses(400, 401, 404),
    )
    async def show(
        self,
        shift_id: FromPath[UUID],
        principal: CurrentPrincipal,
        view_capacity: UseCase[ViewCapacity],
    ) -> CapacityView:
        return CapacityView.of(await view_capacity.for_shift(principal, shift_id))

    @put(
        operation_id="setShiftCapacity",
        summary="Set a shift's throttle and pickup slots (managers); an event on the shift",
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def set(
        self,
        shift_id: FromPath[UUID],
        data: JSONBody[CapacityBody],
        principal: CurrentPrincipal,
        set_capacity: UseCase[SetCapacity],
    ) -> CapacityView:
        return CapacityView.of(await set_capacity.for_shift(principal, shift_id, data.to_request()))


class TruckCapacityController(Controller):
    path = "/api/v1/trucks/{truck_id:uuid}/capacity"
    tags = ("capacity",)
    security = BEARER

    @get(
        operation_id="getTruckCapacity",
        summary="A truck's default throttle and pickup slots, for shifts without their own",
        responses=problem_responses(400, 401, 404),
    )
    async def show(
        self,
        truck_id: FromPath[UUID],
        principal: CurrentPrincipal,
        view_capacity: UseCase[ViewCapacity],
    ) -> CapacityView:
        return CapacityView.of(await view_capacity.for_truck(principal, truck_id))

    @put(
        operation_id="setTruckCapacity",
        summary="Set a truck's default throttle and pickup slots (managers)",
        responses=problem_responses(400, 401, 403, 404, 413, 422),
    )
    async def set(
        self,
        truck_id: FromPath[UUID],
        data: JSONBody[CapacityBody],
        principal: CurrentPrincipal,
        set_capacity: UseCase[SetCapacity],
    ) -> CapacityView:
        return CapacityView.of(await set_capacity.for_truck(principal, truck_id, data.to_request()))
