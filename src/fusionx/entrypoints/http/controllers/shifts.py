from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from fusionx.core.model.history import DayRange
from fusionx.core.model.shifts import ShiftState
from fusionx.core.use_cases.commands.change_shift_state import ChangeShiftRequest, ChangeShiftState
from fusionx.core.use_cases.commands.check_in_truck import CheckInTruck
from fusionx.core.use_cases.queries.list_shift_history import ListShiftHistory, ShiftHistoryRequest
from fusionx.core.use_cases.queries.view_shift import ViewShift
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.history_query import (
    CursorText,
    FromDay,
    LocationId,
    ShiftStateParam,
    ToDay,
    TruckId,
    after_cursor,
)
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.paging import Limit
from fusionx.entrypoints.http.schemas.history import ShiftHistoryPage
from fusionx.entrypoints.http.schemas.shifts import (
    CheckInBody,
    CheckoutBody,
    ShiftDetailsView,
    ShiftView,
)


class ShiftsController(Controller):
    path = "/api/v1/shifts"
    tags = ("shifts",)
    security = BEARER

    @post(
        operation_id="checkInTruck",
        summary="Check a truck in at a location: open its shift (one open shift per truck)",
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def check_in(
        self,
        data: JSONBody[CheckInBody],
        principal: CurrentPrincipal,
        check_in_truck: UseCase[CheckInTruck],
    ) -> ShiftView:
        return ShiftView.of(await check_in_truck.execute(principal, data.to_request()))

    @get(
        operation_id="listShifts",
        summary="Shifts, newest first, by truck, location, local days and state (the books: "
        "owners and admins all, managers their trucks')",
        responses=problem_responses(400, 401, 403, 404, 422),
    )
    async def history(
        self,
        *,
        principal: CurrentPrincipal,
        list_shift_history: UseCase[ListShiftHistory],
        truck_id: TruckId = None,
        location_id: LocationId = None,
        from_date: FromDay = None,
        to_date: ToDay = None,
        shift_state: ShiftStateParam = None,
        cursor: CursorText = None,
        limit: Limit = 50,
    ) -> ShiftHistoryPage:
        request = ShiftHistoryRequest(
            truck_id=truck_id,
            location_id=location_id,
            days=DayRange(first=from_date, last=to_date),
            state=shift_state,
            after=after_cursor(cursor),
            limit=limit,
        )
        return ShiftHistoryPage.of(await list_shift_history.execute(principal, request))

    @get(
        "/{shift_id:uuid}",
        operation_id="getShift",
        summary="A shift's state and its history: who opened, paused, resumed or closed it",
        responses=problem_responses(400, 401, 404),
    )
    async def details(
        self, shift_id: FromPath[UUID], principal: CurrentPrincipal, view_shift: UseCase[ViewShift]
    ) -> ShiftDetailsView:
        return ShiftDetailsView.of(await view_shift.details(principal, shift_id))

    @post(
        "/{shift_id:uuid}/pause",
        status_code=200,
        operation_id="pauseShift",
        summary="Pause a shift: no new orders, open tickets are still worked",
        responses=problem_responses(400, 401, 403, 404, 409),
    )
    async def pause(
        self,
        shift_id: FromPath[UUID],
        principal: CurrentPrincipal,
        change_shift_state: UseCase[ChangeShiftState],
    ) -> ShiftView:
        request = ChangeShiftRequest(shift_id=shift_id, target=ShiftState.PAUSED)
        return ShiftView.of(await change_shift_state.execute(principal, request))

    @post(
        "/{shift_id:uuid}/resume",
        status_code=200,
        operation_id="resumeShift",
        summary="Resume a paused shift: it takes orders again",
        responses=problem_responses(400, 401, 403, 404, 409),
    )
    async def resume(
        self,
        shift_id: FromPath[UUID],
        principal: CurrentPrincipal,
        change_shift_state: UseCase[ChangeShiftState],
    ) -> ShiftView:
        request = ChangeShiftRequest(shift_id=shift_id, target=ShiftState.OPEN)
        return ShiftView.of(await change_shift_state.execute(principal, request))

    @post(
        "/{shift_id:uuid}/checkout",
        status_code=200,
        operation_id="checkOutShift",
        summary="Check out: close the shift; open tickets refuse it unless forced with a reason",
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def checkout(
        self,
        shift_id: FromPath[UUID],
        principal: CurrentPrincipal,
        change_shift_state: UseCase[ChangeShiftState],
        data: JSONBody[CheckoutBody | None] = None,
    ) -> ShiftView:
        request = (data or CheckoutBody()).to_request(shift_id)
        return ShiftView.of(await change_shift_state.execute(principal, request))
