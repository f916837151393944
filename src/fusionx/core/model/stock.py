"""Stock per shift, kept as a ledger: on-hand is always the sum of its movements."""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.actors import Actor


class StockReason(enum.StrEnum):
    # Set by staff through inventory adjustments.
    RESTOCK = "restock"
    WASTE = "waste"
    COUNT = "count"
    CORRECTION = "correction"
    # Set by the system.
    SALE = "sale"
    RETURN = "return"  # a cancelled order's items, back on the shelf

    def allows(self, delta: int) -> bool:
        """Whether a change of ``delta`` is what the reason says: a restock or a return
        adds, waste or a sale takes away; a correction goes either way, and a count's
        change is whatever brings the level to the number counted."""
        if self in (StockReason.RESTOCK, StockReason.RETURN):
            return delta > 0
        if self in (StockReason.WASTE, StockReason.SALE):
            return delta < 0
        return True


ADJUSTMENT_REASONS = frozenset(
    {StockReason.RESTOCK, StockReason.WASTE, StockReason.COUNT, StockReason.CORRECTION}
)


class StockMovement(msgspec.Struct, frozen=True, kw_only=True):
    """One ledger row. ``on_hand_after`` is the level this movement left."""

    id: UUID
    shift_id: UUID
    item_id: UUID
    delta: int
    on_hand_after: int
    reason: StockReason
    actor: Actor
    at: datetime
    order_id: UUID | None = None
    note: str | None = None


class Shortage(msgspec.Struct, frozen=True, kw_only=True):
    """An item an order wanted more of than the shift has."""

    item_id: UUID
    requested: int
    available: int


class StockTake(msgspec.Struct, frozen=True, kw_only=True):
    """What a take did: the recorded movements, or the shortages and nothing recorded."""

    taken: tuple[StockMovement, ...] = ()
    shortages: tuple[Shortage, ...] = ()
