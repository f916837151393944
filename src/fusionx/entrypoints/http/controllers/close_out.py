from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from fusionx.core.use_cases.commands.bulk_advance import BulkAdvanceTickets
from fusionx.core.use_cases.queries.list_cancellations import ListCancellations
from fusionx.core.use_cases.queries.view_all_day import ViewAllDay
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.paging import Paging
from fusionx.entrypoints.http.schemas.close_out import (
    AllDayItemView,
    AllDayView,
    BulkAdvanceBody,
    BulkAdvanceView,
    CancellationPage,
)


class ShiftCloseOutController(Controller):
    """The pass at the end of a rush: close-out, all-day counts, what was cancelled."""

    path = "/api/v1/shifts/{shift_id:uuid}"
    tags = ("kitchen",)
    security = BEARER

    @post(
        "/tickets/bulk-advance",
        status_code=200,
        operation_id="bulkAdvanceTickets",
        summary="Complete every READY ticket (or the listed ones), with a result per ticket",
        responses=problem_responses(400, 401, 404, 413, 422),
    )
    async def bulk_advance(
        self,
        shift_id: FromPath[UUID],
        principal: CurrentPrincipal,
        bulk_advance_tickets: UseCase[BulkAdvanceTickets],
        data: JSONBody[BulkAdvanceBody | None] = None,
    ) -> BulkAdvanceView:
        request = (data or BulkAdvanceBody()).to_request(shift_id)
        return BulkAdvanceView.of(await bulk_advance_tickets.execute(principal, request))

    @get(
        "/all-day",
        operation_id="getAllDayCounts",
        summary="Units waiting per item and modifier across the shift's open tickets",
        responses=problem_responses(400, 401, 404),
    )
    async def all_day(
        self,
        shift_id: FromPath[UUID],
        principal: CurrentPrincipal,
        view_all_day: UseCase[ViewAllDay],
    ) -> AllDayView:
        counts = await view_all_day.execute(principal, shift_id)
        return AllDayView(shift_id=shift_id, items=[AllDayItemView.of(c) for c in counts])

    @get(
        "/cancellations",
        operation_id="listShiftCancellations",
        summary="A shift's cancelled orders, oldest first: who, when, why and what they came to",
        responses=problem_responses(400, 401, 403, 404, 422),
    )
    async def cancellations(
        self,
        shift_id: FromPath[UUID],
        principal: CurrentPrincipal,
        list_cancellations: UseCase[ListCancellations],
        page: Paging,
    ) -> CancellationPage:
        return CancellationPage.of(await list_cancellations.execute(principal, shift_id, page))
