from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from fusionx.core.use_cases.commands.adjust_stock import AdjustStock
from fusionx.core.use_cases.queries.view_shift_menu import ViewShiftMenu
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import AppAdapters
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.menu import ShiftMenuView
from fusionx.entrypoints.http.schemas.stock import StockAdjustmentBody, StockMovementView


class ShiftInventoryController(Controller):
    """What a shift has to sell: its menu with stock, and adjustments to that stock."""

    path = "/api/v1/shifts/{shift_id:uuid}"
    tags = ("inventory",)
    security = BEARER

    @get(
        "/menu",
        operation_id="getShiftMenu",
        summary="The menu for a shift: items by category with stock, prices and availability",
        responses=problem_responses(400, 401, 404),
    )
    async def menu(
        self, shift_id: FromPath[UUID], principal: CurrentPrincipal, adapters: AppAdapters
    ) -> ShiftMenuView:
        menu = ViewShiftMenu(adapters.reader(), adapters.clock)
        return ShiftMenuView.of(await menu.execute(principal, shift_id))

    @post(
        "/inventory/adjustments",
        operation_id="adjustShiftStock",
        summary="Record a restock, waste, count or correction; stock never goes below zero",
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def adjust(
        self,
        shift_id: FromPath[UUID],
        data: JSONBody[StockAdjustmentBody],
        principal: CurrentPrincipal,
        adapters: AppAdapters,
    ) -> StockMovementView:
        adjust = AdjustStock(adapters.uow(), adapters.clock, adapters.ids)
        return StockMovementView.of(await adjust.execute(principal, data.to_request(shift_id)))
