"""The shift event log: every change to a shift, numbered 1, 2, 3… with no gaps.

Each event type is a frozen Struct carrying exactly its data, tagged with its type
("order.created"…): ``ShiftEventData`` is their union. Use cases build them; reactions
read their fields; the log stores them as JSON and reads them back as the same types.
What a client of the stream receives is mapped from them at the edge (the HTTP
layer), never here.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Literal, get_args
from uuid import UUID

import msgspec

from fusionx.core.model.actors import Actor
from fusionx.core.model.cancellations import Cancellation
from fusionx.core.model.capacity import CapacityLimits, CapacitySource
from fusionx.core.model.orders import Order
from fusionx.core.model.payments import RefundReason
from fusionx.core.model.refunds import Refund
from fusionx.core.model.shifts import Shift, ShiftState
from fusionx.core.model.stock import Shortage, StockReason
from fusionx.core.model.tickets import Ticket, TicketState


class EventType(enum.StrEnum):
    SHIFT_OPENED = "shift.opened"
    SHIFT_PAUSED = "shift.paused"
    SHIFT_RESUMED = "shift.resumed"
    SHIFT_CLOSED = "shift.closed"
    ORDER_CREATED = "order.created"
    ORDER_CANCELLED = "order.cancelled"
    ORDER_REFUNDED = "order.refunded"
    ORDER_REFUND_REQUESTED = "order.refund_requested"
    ORDER_REFUND_FAILED = "order.refund_failed"
    ORDER_AWAITING_PAYMENT = "order.awaiting_payment"
    ORDER_PAID = "order.paid"
    ORDER_PAYMENT_FAILED = "order.payment_failed"
    ORDER_NEEDS_REFUND = "order.needs_refund"
    TICKET_CHANGED = "ticket.state_changed"
    STOCK_CHANGED = "stock.changed"
    ITEM_SOLD_OUT = "item.sold_out"
    ITEM_BACK_IN_STOCK = "item.back_in_stock"
    MENU_CHANGED = "menu.changed"
    CAPACITY_CHANGED = "capacity.changed"
    DEVICE_STALE = "device.stale"
    DEVICE_BACK_ONLINE = "device.back_online"


class _Event(msgspec.Struct, frozen=True, kw_only=True, tag_field="type"):
    """What every event type shares: its tag is its ``EventType``'s value."""

    @property
    def type(self) -> EventType:
        return EventType(str(self.__struct_config__.tag))


class ShiftOpened(_Event, frozen=True, kw_only=True, tag=EventType.SHIFT_OPENED.value):
    """A truck checked in: its shift opened."""

    shift: Shift


class _ShiftStateChanged(_Event, frozen=True, kw_only=True):
    state: ShiftState
    previous: ShiftState
    actor: Actor
    reason: str | None


class ShiftPaused(_ShiftStateChanged, frozen=True, kw_only=True, tag=EventType.SHIFT_PAUSED.value):
    """The shift was paused: no new orders; open tickets are still worked."""


class ShiftResumed(
    _ShiftStateChanged, frozen=True, kw_only=True, tag=EventType.SHIFT_RESUMED.value
):
    """The paused shift takes orders again."""


class ShiftClosed(_ShiftStateChanged, frozen=True, kw_only=True, tag=EventType.SHIFT_CLOSED.value):
    """The truck checked out: the shift is closed for good."""


class OrderCreated(_Event, frozen=True, kw_only=True, tag=EventType.ORDER_CREATED.value):
    """An order reached the kitchen with its ticket; ``order`` holds no customer contact."""

    order: Order
    ticket: Ticket


class OrderAwaitingPayment(
    _Event, frozen=True, kw_only=True, tag=EventType.ORDER_AWAITING_PAYMENT.value
):
    """An online order waits for its payment; ``order`` holds no customer contact."""

    order: Order


class _PaymentNotice(_Event, frozen=True, kw_only=True):
    order_id: UUID
    number: int
    payment_event_id: str
    amount_cents: int


class OrderPaid(_PaymentNotice, frozen=True, kw_only=True, tag=EventType.ORDER_PAID.value):
    """The gateway says an online order is paid."""


class OrderPaymentFailed(
    _PaymentNotice, frozen=True, kw_only=True, tag=EventType.ORDER_PAYMENT_FAILED.value
):
    """The gateway says an online order's payment failed."""


class OrderNeedsRefund(
    _PaymentNotice, frozen=True, kw_only=True, tag=EventType.ORDER_NEEDS_REFUND.value
):
    """A paid order that cannot be made; ``shortages`` when it is out of stock."""

    reason: RefundReason
    shortages: tuple[Shortage, ...] = ()


class OrderCancelled(_Event, frozen=True, kw_only=True, tag=EventType.ORDER_CANCELLED.value):
    cancellation: Cancellation


class OrderRefunded(_Event, frozen=True, kw_only=True, tag=EventType.ORDER_REFUNDED.value):
    """Money given back: the gateway accepted the refund, or it was handed over."""

    refund: Refund


class OrderRefundRequested(
    _Event, frozen=True, kw_only=True, tag=EventType.ORDER_REFUND_REQUESTED.value
):
    """A refund decided and on its way to the payment gateway (status pending)."""

    refund: Refund


class OrderRefundFailed(_Event, frozen=True, kw_only=True, tag=EventType.ORDER_REFUND_FAILED.value):
    """The payment gateway refused a refund (``refund.failure`` says why): none was given."""

    refund: Refund


class TicketStateChanged(_Event, frozen=True, kw_only=True, tag=EventType.TICKET_CHANGED.value):
    """A ticket moved; ``version`` is its new one, ``fire_at`` set on a timed hold."""

    ticket_id: UUID
    order_id: UUID
    number: int
    from_: TicketState = msgspec.field(name="from")
    to: TicketState
    version: int
    actor: Actor
    reason: str | None = None
    fire_at: datetime | None = None


class StockChanged(_Event, frozen=True, kw_only=True, tag=EventType.STOCK_CHANGED.value):
    """A stock movement; ``on_hand`` is the level after it."""

    item_id: UUID
    delta: int
    on_hand: int
    reason: StockReason
    order_id: UUID | None = None

    @property
    def on_hand_before(self) -> int:
        return self.on_hand - self.delta


class ItemSoldOut(_Event, frozen=True, kw_only=True, tag=EventType.ITEM_SOLD_OUT.value):
    item_id: UUID


class ItemBackInStock(_Event, frozen=True, kw_only=True, tag=EventType.ITEM_BACK_IN_STOCK.value):
    item_id: UUID


MenuChange = Literal["item", "category", "modifiers", "order", "selection", "special"]


class MenuChanged(_Event, frozen=True, kw_only=True, tag=EventType.MENU_CHANGED.value):
    """The shift's menu changed (``what``): clients fetch it again."""

    what: MenuChange


class CapacityChanged(_Event, frozen=True, kw_only=True, tag=EventType.CAPACITY_CHANGED.value):
    source: CapacitySource
    limits: CapacityLimits
    actor: Actor


class DeviceStale(_Event, frozen=True, kw_only=True, tag=EventType.DEVICE_STALE.value):
    device_id: UUID
    label: str
    last_seen_at: datetime | None
    stale_after_seconds: int


class DeviceBackOnline(_Event, frozen=True, kw_only=True, tag=EventType.DEVICE_BACK_ONLINE.value):
    device_id: UUID
    label: str
    stale_since: datetime


ShiftEventData = (
    ShiftOpened
    | ShiftPaused
    | ShiftResumed
    | ShiftClosed
    | OrderCreated
    | OrderAwaitingPayment
    | OrderPaid
    | OrderPaymentFailed
    | OrderNeedsRefund
    | OrderCancelled
    | OrderRefunded
    | OrderRefundRequested
    | OrderRefundFailed
    | TicketStateChanged
    | StockChanged
    | ItemSoldOut
    | ItemBackInStock
    | MenuChanged
    | CapacityChanged
    | DeviceStale
    | DeviceBackOnline
)


class NewEvent(msgspec.Struct, frozen=True, kw_only=True):
    """An event before the log numbers it."""

    shift_id: UUID
    at: datetime
    data: ShiftEventData

    @property
    def type(self) -> EventType:
        return self.data.type


class ShiftEvent(msgspec.Struct, frozen=True, kw_only=True):
    """A logged event. ``seq`` is per shift and increases by exactly one each time."""

    shift_id: UUID
    seq: int
    at: datetime
    data: ShiftEventData

    @property
    def type(self) -> EventType:
        return self.data.type


_DATA_TYPES: dict[EventType, type[ShiftEventData]] = {
    EventType(str(member.__struct_config__.tag)): member for member in get_args(ShiftEventData)
}


def data_type(event_type: EventType) -> type[ShiftEventData]:
    """The Struct an event type's data is."""
    return _DATA_TYPES[event_type]
