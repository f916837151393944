from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from fusionx.core.use_cases.commands.adjust_stock import AdjustStock
from fusionx.core.use_cases.queries.view_shift_menu import ViewShiftMenu
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.inventory import StockAdjustmentBody, StockMovementView
from fusionx.entrypoints.http.schemas.menu import ShiftMenuView


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
        self,
        shift_id: FromPath[UUID],
        principal: CurrentPrincipal,
        view_shift_menu: UseCase[ViewShiftMenu],
    ) -> ShiftMenuView:
        return ShiftMenuView.of(await view_shift_menu.execute(principal, shift_id))

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
        adjust_stock: UseCase[AdjustStock],
    ) -> StockMovementView:
        return StockMovementView.of(
            await adjust_stock.execute(principal, data.to_request(shift_id))
        )
