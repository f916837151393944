from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.stock import StockMovement, StockTake


class StockLedger(Protocol):
    """Per-shift stock as a ledger of movements; on-hand is their sum, never below zero.

    Every write is all-or-nothing and safe against concurrent units of work: two orders
    racing for the last unit cannot both get it.
    """

    async def levels(self, shift_id: UUID) -> dict[UUID, int]:
        """On-hand per item that has ever had a movement this shift."""
        ...

    async def take(self, movements: list[StockMovement]) -> StockTake:
        """Record sale movements (negative deltas) if every item has enough.

        Either all are recorded (``taken``, with ``on_hand_after`` filled in) or, when any
        item is short, none is and ``shortages`` lists every short item.
        """
        ...

    async def adjust(self, movement: StockMovement) -> StockMovement | None:
        """Record one delta; None (and nothing recorded) if it would go below zero."""
        ...

    async def set_count(self, movement: StockMovement, count: int) -> StockMovement:
        """Record a physical count: the delta that brings on-hand to ``count``."""
        ...

    async def movements(self, shift_id: UUID) -> list[StockMovement]:
        """The whole ledger of a shift, oldest first."""
        ...
