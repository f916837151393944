"""The event stream's public payloads: one Struct per event type, and the close codes.

This module is the one place the core's typed events (``core.model.events``) become
the stream's public JSON. ``EVENT_DATA`` maps each event type to the Struct its
``data`` is sent as, and ``public_data`` converts every event through it, so a client
receives exactly what the AsyncAPI document (``/schema/asyncapi.json``) describes, and
the kitchen never sees a customer's contact. An event that wraps one domain object
(``shift.opened`` its shift, ``order.cancelled`` its cancellation, ``order.refunded``
its refund) is sent as that object, flat. The mapping, event by event, is documented in
``docs/events.md``. ``CloseCode`` is the one list of codes the server closes with.
"""

from __future__ import annotations

import enum
from typing import Any, Literal
from uuid import UUID

import msgspec

from fusionx.core.model import events as core
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.capacity import CapacitySource
from fusionx.core.model.events import EventType, ShiftEventData
from fusionx.core.model.orders import OrderChannel, OrderState
from fusionx.core.model.payments import RefundReason
from fusionx.core.model.refunds import RefundStatus
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.stock import StockReason
from fusionx.core.model.tickets import TicketState
from fusionx.entrypoints.http.schemas.actors import ActorView
from fusionx.entrypoints.http.schemas.orders import ChosenModifierView
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime
from fusionx.entrypoints.http.schemas.shifts import ShiftView
from fusionx.entrypoints.http.schemas.tickets import TicketView


class CloseCode(enum.IntEnum):
    """Why the server closed the socket: 4000 + the HTTP status of the same refusal,
    or a WebSocket standard code. A new code goes here, with its line in ``CLOSE_CODES``."""

    BAD_REQUEST = 4400
    UNAUTHENTICATED = 4401
    FORBIDDEN = 4403
    NOT_FOUND = 4404
    IDLE = 4408
    AHEAD = 4409
    TOO_MANY_STREAMS = 4429
    GOING_AWAY = 1001
    MESSAGE_TOO_BIG = 1009
    SERVER_ERROR = 1011


CLOSE_CODES: dict[CloseCode, str] = {
    CloseCode.BAD_REQUEST: "`last_seq` is not a whole number, 0 or more; do not retry as is",
    CloseCode.UNAUTHENTICATED: "No credential, or one that is unknown, expired or revoked (an "
    "open stream closes within a second of its credential's revocation or expiry); sign in "
    "again",
    CloseCode.FORBIDDEN: "A customer's credential: the kitchen's stream is the fleet's (a "
    "customer follows an order over its tracking link); do not retry",
    CloseCode.NOT_FOUND: "The shift does not exist or is not on the caller's trucks",
    CloseCode.IDLE: "The client was silent for two ping intervals; reconnect with `last_seq`",
    CloseCode.AHEAD: "`last_seq` is beyond the shift's last event, which the reason names: "
    "the events held are not this stream's; drop them and reconnect with `last_seq` 0",
    CloseCode.TOO_MANY_STREAMS: "This credential already holds as many open streams on this "
    "worker as allowed (10 by default); close one, then reconnect with backoff",
    CloseCode.GOING_AWAY: "The server is restarting or scaling down; reconnect at once with "
    "`last_seq` (another instance answers): nothing is missed",
    CloseCode.MESSAGE_TOO_BIG: "A client message was over the size limit (4096 bytes by "
    "default); do not send it again",
    CloseCode.SERVER_ERROR: "The server failed; reconnect with `last_seq`, with backoff",
}


# Fields the core records that the stream never sends: the customer's contact and account
# (devices must not see them), and a ticket's prep and ready times (what the kitchen load and the
# shift summary read; a ticket as shown has neither).
NOT_ON_THE_STREAM = frozenset(
    {"customer_phone", "customer_email", "customer_id", "prep_at", "ready_at"}
)


class ShiftStateChanged(msgspec.Struct, frozen=True, kw_only=True):
    """The shift was paused, resumed or closed (``state``), from ``previous``."""

    state: ShiftState
    previous: ShiftState
    actor: ActorView
    reason: str | None


class OrderLine(msgspec.Struct, frozen=True, kw_only=True):
    item_id: UUID
    name: str
    unit_price_cents: int
    quantity: int
    notes: str | None
    modifiers: list[ChosenModifierView]


class StreamOrder(msgspec.Struct, frozen=True, kw_only=True):
    """An order as the kitchen sees it: the customer's name, never their phone or email."""

    id: UUID
    shift_id: UUID
    number: int
    channel: OrderChannel
    lines: list[OrderLine]
    total_cents: int
    created_at: UtcDateTime
    created_by: ActorView
    customer_name: str | None
    state: OrderState
    pickup_at: UtcDateTime | None
    promised_ready_at: UtcDateTime | None
    # ``total_cents`` is what the customer is charged: the tax at the location's rate
    # (basis points) is in it, added or (``tax_inclusive``) held by the prices.
    tax_cents: int = 0
    tax_rate_bp: int = 0
    tax_inclusive: bool = False
    discount_cents: int = 0
    # An online order awaiting payment holds its units until paid or its hold lapses.
    stock_held: bool = False


class OrderCreated(msgspec.Struct, frozen=True, kw_only=True):
    """An order reached the kitchen, with its ticket."""

    order: StreamOrder
    ticket: TicketView


class OrderAwaitingPayment(msgspec.Struct, frozen=True, kw_only=True):
    """An online order waits for its payment: its stock held for it, no ticket yet."""

    order: StreamOrder


class PaymentReceived(msgspec.Struct, frozen=True, kw_only=True):
    """The gateway's notice about an order's payment (``order.paid``,
    ``order.payment_failed``)."""

    order_id: UUID
    number: int
    payment_event_id: str
    amount_cents: int


class Shortage(msgspec.Struct, frozen=True, kw_only=True):
    item_id: UUID
    requested: int
    available: int


class OrderNeedsRefund(PaymentReceived, frozen=True, kw_only=True):
    """A paid order that cannot be made: refund it. ``shortages`` for ``out_of_stock``."""

    reason: RefundReason
    shortages: list[Shortage]


class OrderCancelled(msgspec.Struct, frozen=True, kw_only=True):
    """A cancellation, as on the shift's audit trail."""

    order_id: UUID
    ticket_id: UUID
    shift_id: UUID
    number: int
    reason: CancelReason
    from_state: TicketState
    stock_returned: bool
    amount_cents: int
    actor: ActorView
    at: UtcDateTime
    note: str | None


class RefundLine(msgspec.Struct, frozen=True, kw_only=True):
    line: int
    quantity: int
    amount_cents: int


class OrderRefunded(msgspec.Struct, frozen=True, kw_only=True):
    """A refund, as decided (``pending``), given (``succeeded``) or refused (``failed``,
    ``failure`` saying why); ``reference`` is the gateway's id once it accepted."""

    id: UUID
    order_id: UUID
    shift_id: UUID
    reason: CancelReason
    amount_cents: int
    lines: list[RefundLine]
    actor: ActorView
    at: UtcDateTime
    reference: str | None
    note: str | None
    status: RefundStatus
    failure: str | None


class TicketStateChanged(msgspec.Struct, frozen=True, kw_only=True):
    """A ticket moved from ``from`` to ``to``; ``version`` is its new version."""

    ticket_id: UUID
    order_id: UUID
    number: int
    from_: TicketState = msgspec.field(name="from")
    to: TicketState
    version: int
    actor: ActorView
    reason: str | None
    fire_at: UtcDateTime | None


class StockChanged(msgspec.Struct, frozen=True, kw_only=True):
    """A stock movement: ``on_hand`` is the level after it."""

    item_id: UUID
    delta: int
    on_hand: int
    reason: StockReason
    order_id: UUID | None


class ItemStock(msgspec.Struct, frozen=True, kw_only=True):
    """An item sold out, or is back in stock."""

    item_id: UUID


class MenuChanged(msgspec.Struct, frozen=True, kw_only=True):
    """Fetch the menu again; ``what`` changed."""

    what: Literal["item", "category", "modifiers", "order", "selection", "special"]


class Throttle(msgspec.Struct, frozen=True, kw_only=True):
    window_minutes: int
    max_orders: int | None
    max_items: int | None
    window_orders_bypass: bool


class PickupSlots(msgspec.Struct, frozen=True, kw_only=True):
    slot_minutes: int
    orders_per_slot: int


class CapacityLimits(msgspec.Struct, frozen=True, kw_only=True):
    throttle: Throttle | None
    slots: PickupSlots | None


class CapacityChanged(msgspec.Struct, frozen=True, kw_only=True):
    """The shift's (or its truck's) limits changed; ``source`` says which are in force."""

    source: CapacitySource
    limits: CapacityLimits
    actor: ActorView


class DeviceStale(msgspec.Struct, frozen=True, kw_only=True):
    """A kitchen device stopped sending heartbeats."""

    device_id: UUID
    label: str
    last_seen_at: UtcDateTime | None
    stale_after_seconds: int


class DeviceBackOnline(msgspec.Struct, frozen=True, kw_only=True):
    """A stale device sent a heartbeat again."""

    device_id: UUID
    label: str
    stale_since: UtcDateTime


# Converting to a payload keeps the fields it names, and only those.
EVENT_DATA: dict[EventType, type[msgspec.Struct]] = {
    EventType.SHIFT_OPENED: ShiftView,
    EventType.SHIFT_PAUSED: ShiftStateChanged,
    EventType.SHIFT_RESUMED: ShiftStateChanged,
    EventType.SHIFT_CLOSED: ShiftStateChanged,
    EventType.ORDER_CREATED: OrderCreated,
    EventType.ORDER_AWAITING_PAYMENT: OrderAwaitingPayment,
    EventType.ORDER_PAID: PaymentReceived,
    EventType.ORDER_PAYMENT_FAILED: PaymentReceived,
    EventType.ORDER_NEEDS_REFUND: OrderNeedsRefund,
    EventType.ORDER_CANCELLED: OrderCancelled,
    EventType.ORDER_REFUNDED: OrderRefunded,
    EventType.ORDER_REFUND_REQUESTED: OrderRefunded,
    EventType.ORDER_REFUND_FAILED: OrderRefunded,
    EventType.TICKET_CHANGED: TicketStateChanged,
    EventType.STOCK_CHANGED: StockChanged,
    EventType.ITEM_SOLD_OUT: ItemStock,
    EventType.ITEM_BACK_IN_STOCK: ItemStock,
    EventType.MENU_CHANGED: MenuChanged,
    EventType.CAPACITY_CHANGED: CapacityChanged,
    EventType.DEVICE_STALE: DeviceStale,
    EventType.DEVICE_BACK_ONLINE: DeviceBackOnline,
}


def recorded(data: ShiftEventData) -> dict[str, Any]:
    """What the core recorded for an event, as JSON values, before the stream picks the
    fields it publishes: the domain object the event wraps, else the event's fields."""
    fields: dict[str, Any]
    match data:
        case core.ShiftOpened(shift=wrapped):
            fields = msgspec.to_builtins(wrapped)
        case core.OrderCancelled(cancellation=wrapped):
            fields = msgspec.to_builtins(wrapped)
        case (
            core.OrderRefunded(refund=wrapped)
            | core.OrderRefundRequested(refund=wrapped)
            | core.OrderRefundFailed(refund=wrapped)
        ):
            fields = msgspec.to_builtins(wrapped)
        case _:
            fields = msgspec.to_builtins(data)
            del fields["type"]  # the tag: the stream sends it beside ``data``, not in it
    return fields


def public_data(data: ShiftEventData) -> msgspec.Struct:
    """``data`` as its event type's Struct: what the stream sends, the fields it names only."""
    return msgspec.convert(recorded(data), EVENT_DATA[data.type])
