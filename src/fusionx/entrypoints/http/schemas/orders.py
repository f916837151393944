"""Orders taken at the window, and the ticket each one puts on the kitchen display."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from fusionx.core.model.orders import Order, OrderChannel, OrderLine, OrderState
from fusionx.core.rules.validation import EMAIL_INPUT_PATTERN, PHONE_INPUT_PATTERN
from fusionx.core.use_cases.commands.place_order import (
    MAX_LINES,
    MAX_QUANTITY,
    OrderLineRequest,
    PlacedOrder,
    PlaceOrderRequest,
)
from fusionx.entrypoints.http.schemas.actors import ActorView
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime, text
from fusionx.entrypoints.http.schemas.tickets import TicketView


class OrderLineBody(RequestBody, frozen=True, kw_only=True):
    """``modifiers`` are the ids of the options chosen from the item's modifier groups."""

    item_id: UUID
    quantity: Annotated[int, msgspec.Meta(ge=1, le=MAX_QUANTITY)]
    notes: Annotated[str, text(500)] | None = None
    modifiers: Annotated[list[UUID], msgspec.Meta(max_length=50)] = msgspec.field(
        default_factory=list
    )

    def to_request(self) -> OrderLineRequest:
        return OrderLineRequest(
            item_id=self.item_id,
            quantity=self.quantity,
            notes=self.notes,
            modifier_option_ids=tuple(self.modifiers),
        )


class PlaceOrderBody(RequestBody, frozen=True, kw_only=True):
    """An ``online`` order waits for the payment gateway before the kitchen sees it."""

    lines: Annotated[list[OrderLineBody], msgspec.Meta(min_length=1, max_length=MAX_LINES)]
    customer_name: Annotated[str, text(100)] | None = None
    customer_phone: Annotated[str, text(40, pattern=PHONE_INPUT_PATTERN)] | None = None
    customer_email: Annotated[str, text(254, pattern=EMAIL_INPUT_PATTERN)] | None = None
    channel: OrderChannel = OrderChannel.WINDOW
    # A pickup time within the next 24 hours; as soon as possible when left out. With
    # pickup slots, the order takes the slot this time falls in.
    pickup_at: UtcDateTime | None = None

    def to_request(self, shift_id: UUID) -> PlaceOrderRequest:
        return PlaceOrderRequest(
            shift_id=shift_id,
            lines=tuple(line.to_request() for line in self.lines),
            customer_name=self.customer_name,
            customer_phone=self.customer_phone,
            customer_email=self.customer_email,
            channel=self.channel,
            pickup_at=self.pickup_at,
        )


class ChosenModifierView(msgspec.Struct, frozen=True, kw_only=True):
    group_id: UUID
    option_id: UUID
    name: str
    price_delta_cents: int


class OrderLineView(msgspec.Struct, frozen=True, kw_only=True):
    """The item's name and price as they were when the order was taken; the unit price
    includes the chosen modifiers' deltas."""

    item_id: UUID
    name: str
    unit_price_cents: int
    quantity: int
    notes: str | None
    total_cents: int
    modifiers: list[ChosenModifierView]

    @classmethod
    def of(cls, line: OrderLine) -> OrderLineView:
        return cls(
            item_id=line.item_id,
            name=line.name,
            unit_price_cents=line.unit_price_cents,
            quantity=line.quantity,
            notes=line.notes,
            total_cents=line.total_cents,
            modifiers=[
                ChosenModifierView(
                    group_id=m.group_id,
                    option_id=m.option_id,
                    name=m.name,
                    price_delta_cents=m.price_delta_cents,
                )
                for m in line.modifiers
            ],
        )


class OrderView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    number: int
    shift_id: UUID
    channel: OrderChannel
    state: OrderState
    lines: list[OrderLineView]
    # What the customer is charged: the lines' subtotal less the discount, plus the
    # tax where the location's prices exclude it (``tax_cents`` is in it either way).
    total_cents: int
    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    customer_name: str | None
    created_at: UtcDateTime
    created_by: ActorView
    # The pickup slot's start (or the time asked for, on a shift without slots).
    pickup_at: UtcDateTime | None
    promised_ready_at: UtcDateTime | None

    @classmethod
    def of(cls, order: Order) -> OrderView:
        return cls(
            id=order.id,
            number=order.number,
            shift_id=order.shift_id,
            channel=order.channel,
            state=order.state,
            lines=[OrderLineView.of(line) for line in order.lines],
            total_cents=order.total_cents,
            subtotal_cents=order.subtotal_cents,
            discount_cents=order.discount_cents,
            tax_cents=order.tax_cents,
            customer_name=order.customer_name,
            created_at=order.created_at,
            created_by=ActorView.of(order.created_by),
            pickup_at=order.pickup_at,
            promised_ready_at=order.promised_ready_at,
        )


class PlacedOrderView(msgspec.Struct, frozen=True, kw_only=True):
    """``ticket`` is null while the order awaits payment."""

    order: OrderView
    ticket: TicketView | None

    @classmethod
    def of(cls, placed: PlacedOrder) -> PlacedOrderView:
        ticket = None if placed.ticket is None else TicketView.of(placed.ticket)
        return cls(order=OrderView.of(placed.order), ticket=ticket)
