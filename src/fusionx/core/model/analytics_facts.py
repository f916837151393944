"""What a shift's analytics are computed from: its orders, stock ledger and throttle
refusals, as the stores read them (one shape for memory, SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.cancellations import CancelReason


class LineFact(msgspec.Struct, frozen=True, array_like=True):
    item_id: UUID
    name: str
    quantity: int
    unit_price_cents: int


class OrderFact(msgspec.Struct, frozen=True, kw_only=True):
    """An order with a ticket. ``cancel_reason`` is set for a cancelled ticket (None
    when it was cancelled without a recorded reason: counted, not by reason);
    ``refunds`` the succeeded refunds as (reason, cents)."""

    created_at: datetime
    total_cents: int
    cancelled: bool
    cancel_reason: CancelReason | None = None
    prep_at: datetime | None = None
    ready_at: datetime | None = None
    refunds: tuple[tuple[CancelReason, int], ...] = ()
    lines: tuple[LineFact, ...] = ()


class MovementFact(msgspec.Struct, frozen=True, array_like=True):
    item_id: UUID
    at: datetime
    on_hand_after: int
    delta: int


class ShiftFacts(msgspec.Struct, frozen=True, kw_only=True):
    """``refusals``: the instants of throttle refusals (a quarter-hour's start, as
    many times as it refused). ``ends_at``: when the shift stopped trading (its
    close), or now for an open one: how long a last sold-out period lasts."""

    shift_id: UUID
    truck_id: UUID
    zone: str
    ends_at: datetime
    orders: tuple[OrderFact, ...] = ()
    movements: tuple[MovementFact, ...] = ()
    refusals: tuple[tuple[datetime, int], ...] = ()
