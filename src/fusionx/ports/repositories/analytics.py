from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from fusionx.core.model.analytics import AnalyticsRange, BucketFigures
from fusionx.core.model.summary import BestSeller


class FleetAnalytics(Protocol):
    """Trading figures of some trucks (None: the fleet) by local hour, day or week.

    Figures are never stale: what the rollup holds (closed shifts, as of their last
    event) is added to what is computed at once from the base rows of every other
    shift (open, or changed since it was rolled up). ``now`` ends a sold-out period
    still running on an open shift. Both answers equal ``rules.analytics.roll_up``
    over every shift's base rows, whatever the rollup holds.
    """

    async def report(
        self, trucks: frozenset[UUID] | None, span: AnalyticsRange, now: datetime
    ) -> tuple[BucketFigures, ...]:
        """The buckets of ``span`` that saw trading, in order."""
        ...

    async def top_items(
        self, trucks: frozenset[UUID] | None, first: date, last: date, limit: int, now: datetime
    ) -> tuple[BestSeller, ...]:
        """The items most sold (by quantity) on orders not cancelled, days included."""
        ...

    async def roll_up(self, now: datetime, *, limit: int) -> int:
        """Roll up at most ``limit`` closed shifts the rollup lacks or holds an older
        version of; how many it did. Visible after commit."""
        ...

    async def count_refusal(self, shift_id: UUID, at: datetime) -> None:
        """Count a throttle refusal of an order to ``shift_id`` at ``at``."""
        ...
