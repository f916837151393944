"""A shift's figures: what was sold, how fast the kitchen went, when customers came."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.tickets import TicketState


class DurationStats(msgspec.Struct, frozen=True, kw_only=True):
    """Over ``count`` tickets; the 90th percentile interpolates like ``percentile_cont``."""

    count: int
    average_seconds: float | None = None
    p90_seconds: float | None = None


class OrderBucket(msgspec.Struct, frozen=True, kw_only=True):
    starts_at: datetime
    orders: int


class BestSeller(msgspec.Struct, frozen=True, kw_only=True):
    item_id: UUID
    name: str
    quantity: int
    sales_cents: int


def net_sales_cents(gross_cents: int, cancelled_cents: int, refunded_cents: int) -> int:
    """Net sales, the one rule every figure of trading follows (shift summary, weekly
    summary, analytics): gross, less the cancelled orders' totals, less what succeeded
    refunds gave back on orders not cancelled (a cancelled order is out already: its
    refund takes nothing off twice)."""
    return gross_cents - cancelled_cents - refunded_cents


class ShiftFigures(msgspec.Struct, frozen=True, kw_only=True):
    """Cancelled orders count in ``orders``, ``by_state`` and the buckets, not in net
    sales nor in best sellers. Buckets with orders only, oldest first.

    ``refunded_cents`` is what succeeded refunds gave back on orders not cancelled (a
    cancelled order is out of net sales already: its refund takes nothing off twice).
    Net sales follow ``net_sales_cents``."""

    orders: int
    by_state: dict[TicketState, int]
    gross_cents: int
    cancelled_cents: int
    prep: DurationStats
    wait: DurationStats
    buckets: tuple[OrderBucket, ...]
    best_sellers: tuple[BestSeller, ...]
    refunded_cents: int = 0

    @property
    def net_cents(self) -> int:
        return net_sales_cents(self.gross_cents, self.cancelled_cents, self.refunded_cents)
