from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from fusionx.core.use_cases.commands.refund_order import RefundOrder
from fusionx.core.use_cases.commands.retry_refund import RetryRefund, RetryRefundRequest
from fusionx.core.use_cases.queries.view_order import ViewOrder
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.order_details import OrderDetailsView, RefundBody, RefundView


class OrdersController(Controller):
    """One order: its detail and history, the refunds given on it, and their retries."""

    path = "/api/v1/orders"
    tags = ("orders",)
    security = BEARER

    @get(
        "/{order_id:uuid}",
        operation_id="getOrder",
        summary="An order in full: customer, lines, totals, payment and its ticket's history",
        responses=problem_responses(400, 401, 404),
    )
    async def details(
        self, order_id: FromPath[UUID], principal: CurrentPrincipal, view_order: UseCase[ViewOrder]
    ) -> OrderDetailsView:
        return OrderDetailsView.of(await view_order.execute(principal, order_id))

    @post(
        "/{order_id:uuid}/refunds",
        operation_id="refundOrder",
        summary="Refund an order in full or by line; never more than was paid",
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 502, 503),
    )
    async def refund(
        self,
        order_id: FromPath[UUID],
        data: JSONBody[RefundBody],
        principal: CurrentPrincipal,
        refund_order: UseCase[RefundOrder],
    ) -> RefundView:
        return RefundView.of(await refund_order.execute(principal, data.to_request(order_id)))

    @post(
        "/{order_id:uuid}/refunds/{refund_id:uuid}/retry",
        operation_id="retryRefund",
        summary="Send a refund still pending at the payment gateway again; it refunds once",
        responses=problem_responses(400, 401, 403, 404, 409, 502, 503),
    )
    async def retry_refund(
        self,
        order_id: FromPath[UUID],
        refund_id: FromPath[UUID],
        principal: CurrentPrincipal,
        retry_refund: UseCase[RetryRefund],
    ) -> RefundView:
        request = RetryRefundRequest(order_id=order_id, refund_id=refund_id)
        return RefundView.of(await retry_refund.execute(principal, request))
