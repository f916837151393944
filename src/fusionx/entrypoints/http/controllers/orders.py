from __future__ import annotations

from uuid import UUID

from litestar import Controller, post
from litestar.params import FromPath, JSONBody

from fusionx.core.use_cases.commands.place_order import PlaceOrder
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.orders import PlacedOrderView, PlaceOrderBody


class ShiftOrdersController(Controller):
    path = "/api/v1/shifts/{shift_id:uuid}/orders"
    tags = ("orders",)
    security = BEARER

    @post(
        operation_id="placeOrder",
        summary="Take an order: stock is taken for every line, or for none, and a ticket opens",
        responses=problem_responses(400, 401, 404, 409, 413, 422),
    )
    async def place(
        self,
        shift_id: FromPath[UUID],
        data: JSONBody[PlaceOrderBody],
        principal: CurrentPrincipal,
        place_order: UseCase[PlaceOrder],
    ) -> PlacedOrderView:
        return PlacedOrderView.of(await place_order.execute(principal, data.to_request(shift_id)))
