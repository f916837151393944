"""The shift event log: every change to a shift, numbered 1, 2, 3… with no gaps."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec


class EventType(enum.StrEnum):
    SHIFT_OPENED = "shift.opened"
    SHIFT_PAUSED = "shift.paused"
    SHIFT_RESUMED = "shift.resumed"
    SHIFT_CLOSED = "shift.closed"
    ORDER_CREATED = "order.created"
    ORDER_CANCELLED = "order.cancelled"
    ORDER_REFUNDED = "order.refunded"
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


class NewEvent(msgspec.Struct, frozen=True, kw_only=True):
    """An event before the log numbers it. ``data`` must be JSON-encodable by msgspec."""

    shift_id: UUID
    type: EventType
    at: datetime
    data: dict[str, Any]


class ShiftEvent(msgspec.Struct, frozen=True, kw_only=True):
    """A logged event. ``seq`` is per shift and increases by exactly one each time."""

    shift_id: UUID
    seq: int
    type: EventType
    at: datetime
    data: dict[str, Any]
