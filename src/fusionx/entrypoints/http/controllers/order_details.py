from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from fusionx.core.model.history import DayRange
from fusionx.core.use_cases.commands.refund_order import RefundOrder
from fusionx.core.use_cases.commands.retry_refund import RetryRefund, RetryRefundRequest
from fusionx.core.use_cases.queries.list_order_history import ListOrderHistory, OrderHistoryRequest
from fusionx.core.use_cases.queries.view_order import ViewOrder
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.history_query import (
    ChannelParam,
    CursorText,
    FromDay,
    LocationId,
    PaymentParam,
    ReasonParam,
    Search,
    TicketStateParam,
    ToDay,
    TruckId,
    after_cursor,
)
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.paging import Limit
from fusionx.entrypoints.http.schemas.history import OrderHistoryPage
from fusionx.entrypoints.http.schemas.order_details import OrderDetailsView, RefundBody, RefundView


class OrdersController(Controller):
    """One order: its detail and history, the refunds given on it, and their retries."""

    path = "/api/v1/orders"
    tags = ("orders",)
    security = BEARER

    @get(
        operation_id="listOrders",
        summary="Orders, newest first, filtered, or found by number, name or phone (`q`) "
        "(the books: owners and admins all, managers their trucks')",
        responses=problem_responses(400, 401, 403, 404, 422),
    )
    async def history(
        self,
        *,
        principal: CurrentPrincipal,
        list_order_history: UseCase[ListOrderHistory],
        truck_id: TruckId = None,
        location_id: LocationId = None,
        from_date: FromDay = None,
        to_date: ToDay = None,
        ticket_state: TicketStateParam = None,
        channel: ChannelParam = None,
        payment: PaymentParam = None,
        reason: ReasonParam = None,
        q: Search = None,
        cursor: CursorText = None,
        limit: Limit = 50,
    ) -> OrderHistoryPage:
        request = OrderHistoryRequest(
            truck_id=truck_id,
            location_id=location_id,
            days=DayRange(first=from_date, last=to_date),
            state=ticket_state,
            channel=channel,
            payment=payment,
            reason=reason,
            q=q,
            after=after_cursor(cursor),
            limit=limit,
        )
        return OrderHistoryPage.of(await list_order_history.execute(principal, request))

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
