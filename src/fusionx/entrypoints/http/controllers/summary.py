from __future__ import annotations

from uuid import UUID

from litestar import Controller, get
from litestar.params import FromPath

from fusionx.core.use_cases.queries.summarize_shift import SummarizeShift
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.summary import ShiftSummaryView


class ShiftSummaryController(Controller):
    path = "/api/v1/shifts/{shift_id:uuid}/summary"
    tags = ("shifts",)
    security = BEARER

    @get(
        operation_id="getShiftSummary",
        summary="A shift's figures: orders by state, sales, prep and wait times, best sellers",
        responses=problem_responses(400, 401, 403, 404),
    )
    async def show(
        self,
        shift_id: FromPath[UUID],
        principal: CurrentPrincipal,
        summarize_shift: UseCase[SummarizeShift],
    ) -> ShiftSummaryView:
        summary = await summarize_shift.execute(principal, shift_id)
        return ShiftSummaryView.of(summary)
