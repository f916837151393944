"""An order in full (the order detail page), and the refunds given on it."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from fusionx.core.model.cancellations import Cancellation, CancelReason
from fusionx.core.model.orders import OrderChannel, OrderState
from fusionx.core.model.refunds import (
    PaymentState,
    Refund,
    RefundLine,
    RefundStatus,
    refunded_quantities,
)
from fusionx.core.model.tickets import TicketState, TicketTransition
from fusionx.core.use_cases.commands.place_order import MAX_LINES, MAX_QUANTITY
from fusionx.core.use_cases.commands.refund_order import RefundLineRequest, RefundOrderRequest
from fusionx.core.use_cases.queries.view_order import OrderDetails
from fusionx.entrypoints.http.schemas.actors import ActorView
from fusionx.entrypoints.http.schemas.orders import OrderLineView
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime, text
from fusionx.entrypoints.http.schemas.tickets import TicketView


class RefundLineBody(RequestBody, frozen=True, kw_only=True):
    """``line`` is the index of the order line (0 for the first)."""

    line: Annotated[int, msgspec.Meta(ge=0, lt=MAX_LINES)]
    quantity: Annotated[int, msgspec.Meta(ge=1, le=MAX_QUANTITY)]


class RefundBody(RequestBody, frozen=True, kw_only=True):
    """Without ``lines``, refund everything not refunded yet. ``other`` needs a ``note``."""

    reason: CancelReason
    note: Annotated[str, text(500)] | None = None
    lines: Annotated[list[RefundLineBody], msgspec.Meta(max_length=MAX_LINES)] = msgspec.field(
        default_factory=list
    )

    def to_request(self, order_id: UUID) -> RefundOrderRequest:
        return RefundOrderRequest(
            order_id=order_id,
            reason=self.reason,
            note=self.note,
            lines=tuple(RefundLineRequest(line=ln.line, quantity=ln.quantity) for ln in self.lines),
        )


class RefundLineView(msgspec.Struct, frozen=True, kw_only=True):
    line: int
    quantity: int
    amount_cents: int

    @classmethod
    def of(cls, line: RefundLine) -> RefundLineView:
        return cls(line=line.line, quantity=line.quantity, amount_cents=line.amount_cents)


class RefundView(msgspec.Struct, frozen=True, kw_only=True):
    """``pending`` until the payment gateway answers (retry it if it stays so),
    ``succeeded`` once given back, ``failed`` when refused (``failure`` says why: nothing
    was given back). ``reference`` is the gateway's id, once it accepted."""

    id: UUID
    order_id: UUID
    reason: CancelReason
    note: str | None
    amount_cents: int
    lines: list[RefundLineView]
    actor: ActorView
    at: UtcDateTime
    reference: str | None
    status: RefundStatus
    failure: str | None

    @classmethod
    def of(cls, refund: Refund) -> RefundView:
        return cls(
            id=refund.id,
            order_id=refund.order_id,
            reason=refund.reason,
            note=refund.note,
            amount_cents=refund.amount_cents,
            lines=[RefundLineView.of(line) for line in refund.lines],
            actor=ActorView.of(refund.actor),
            at=refund.at,
            reference=refund.reference,
            status=refund.status,
            failure=refund.failure,
        )


class CancellationView(msgspec.Struct, frozen=True, kw_only=True):
    """``stock_returned``: whether the order's items went back to the shift's stock."""

    order_id: UUID
    ticket_id: UUID
    number: int
    reason: CancelReason
    note: str | None
    from_state: TicketState
    stock_returned: bool
    amount_cents: int
    actor: ActorView
    at: UtcDateTime

    @classmethod
    def of(cls, cancellation: Cancellation) -> CancellationView:
        return cls(
            order_id=cancellation.order_id,
            ticket_id=cancellation.ticket_id,
            number=cancellation.number,
            reason=cancellation.reason,
            note=cancellation.note,
            from_state=cancellation.from_state,
            stock_returned=cancellation.stock_returned,
            amount_cents=cancellation.amount_cents,
            actor=ActorView.of(cancellation.actor),
            at=cancellation.at,
        )


class TicketMoveView(msgspec.Struct, frozen=True, kw_only=True):
    """One move of the ticket: ``from``, ``to``, when (``at``), who (``actor``), why."""

    from_: TicketState | None = msgspec.field(name="from")
    to: TicketState
    version: int
    at: UtcDateTime
    actor: ActorView
    reason: str | None

    @classmethod
    def of(cls, move: TicketTransition) -> TicketMoveView:
        return cls(
            from_=move.source,
            to=move.target,
            version=move.version,
            at=move.at,
            actor=ActorView.of(move.actor),
            reason=move.reason,
        )


class CustomerView(msgspec.Struct, frozen=True, kw_only=True):
    """``phone`` and ``email`` are shown to the truck's staff only, null to its devices."""

    name: str | None
    phone: str | None
    email: str | None


class PaymentView(msgspec.Struct, frozen=True, kw_only=True):
    state: PaymentState
    paid_cents: int
    refunded_cents: int


class OrderLineDetailView(OrderLineView, frozen=True, kw_only=True):
    refunded_quantity: int


class OrderDetailsView(msgspec.Struct, frozen=True, kw_only=True):
    """``ticket`` is null, and ``history`` empty, while an online order awaits payment or
    when it was paid but could not be served (``state`` says which)."""

    id: UUID
    number: int
    shift_id: UUID
    channel: OrderChannel
    state: OrderState
    customer: CustomerView
    lines: list[OrderLineDetailView]
    # What the customer is charged; the subtotal, discount and tax it is made of.
    total_cents: int
    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    payment: PaymentView
    created_at: UtcDateTime
    created_by: ActorView
    ticket: TicketView | None
    history: list[TicketMoveView]
    cancellation: CancellationView | None
    refunds: list[RefundView]
    # The pickup slot's start, and when the kitchen promised it ready.
    pickup_at: UtcDateTime | None
    promised_ready_at: UtcDateTime | None

    @classmethod
    def of(cls, details: OrderDetails) -> OrderDetailsView:
        order, refunded = details.order, refunded_quantities(details.refunds)
        return cls(
            id=order.id,
            number=order.number,
            shift_id=order.shift_id,
            channel=order.channel,
            state=order.state,
            customer=CustomerView(
                name=order.customer_name, phone=order.customer_phone, email=order.customer_email
            ),
            lines=[
                OrderLineDetailView(
                    **msgspec.structs.asdict(OrderLineView.of(line)),
                    refunded_quantity=refunded.get(index, 0),
                )
                for index, line in enumerate(order.lines)
            ],
            total_cents=order.total_cents,
            subtotal_cents=order.subtotal_cents,
            discount_cents=order.discount_cents,
            tax_cents=order.tax_cents,
            payment=PaymentView(
                state=details.payment_state,
                paid_cents=details.paid_cents,
                refunded_cents=details.refunded_cents,
            ),
            created_at=order.created_at,
            created_by=ActorView.of(order.created_by),
            ticket=TicketView.of(details.ticket) if details.ticket else None,
            history=[TicketMoveView.of(move) for move in details.history],
            cancellation=(
                CancellationView.of(details.cancellation) if details.cancellation else None
            ),
            refunds=[RefundView.of(refund) for refund in details.refunds],
            pickup_at=order.pickup_at,
            promised_ready_at=order.promised_ready_at,
        )
