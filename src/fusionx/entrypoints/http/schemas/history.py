"""History on the wire: shifts and orders across days and trucks, newest first, in pages
that continue from an opaque ``next_cursor``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.history import KeysetPage, OrderRecord, ShiftRecord
from fusionx.core.model.orders import OrderChannel, OrderState
from fusionx.core.model.refunds import PaymentState
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.tickets import TicketState
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime


class ShiftHistoryView(msgspec.Struct, frozen=True, kw_only=True):
    """A shift, with its orders (those that reached the kitchen) and their gross sales."""

    id: UUID
    truck_id: UUID
    location_id: UUID
    state: ShiftState
    opened_at: UtcDateTime
    closed_at: UtcDateTime | None
    orders: int
    gross_cents: int

    @classmethod
    def of(cls, record: ShiftRecord) -> ShiftHistoryView:
        return cls(**msgspec.structs.asdict(record))


class OrderHistoryView(msgspec.Struct, frozen=True, kw_only=True):
    """An order: ``ticket_state`` none for an online order never paid (no ticket);
    ``payment`` from what was paid and what succeeded refunds gave back;
    ``cancel_reason`` the reason given when it was cancelled."""

    id: UUID
    number: int
    shift_id: UUID
    truck_id: UUID
    location_id: UUID
    channel: OrderChannel
    state: OrderState
    ticket_state: TicketState | None
    payment: PaymentState
    total_cents: int
    paid_cents: int
    refunded_cents: int
    created_at: UtcDateTime
    customer_name: str | None
    customer_phone: str | None
    cancel_reason: CancelReason | None

    @classmethod
    def of(cls, record: OrderRecord) -> OrderHistoryView:
        return cls(**msgspec.structs.asdict(record))


def _next(page: KeysetPage[Any]) -> str | None:
    return None if page.next is None else page.next.encode()


class ShiftHistoryPage(msgspec.Struct, frozen=True, kw_only=True):
    """``next_cursor``: pass it as ``cursor`` for the next page; none on the last."""

    items: list[ShiftHistoryView]
    limit: int
    next_cursor: str | None

    @classmethod
    def of(cls, page: KeysetPage[ShiftRecord]) -> ShiftHistoryPage:
        items = [ShiftHistoryView.of(item) for item in page.items]
        return cls(items=items, limit=page.limit, next_cursor=_next(page))


class OrderHistoryPage(msgspec.Struct, frozen=True, kw_only=True):
    """``next_cursor``: pass it as ``cursor`` for the next page; none on the last."""

    items: list[OrderHistoryView]
    limit: int
    next_cursor: str | None

    @classmethod
    def of(cls, page: KeysetPage[OrderRecord]) -> OrderHistoryPage:
        items = [OrderHistoryView.of(item) for item in page.items]
        return cls(items=items, limit=page.limit, next_cursor=_next(page))
