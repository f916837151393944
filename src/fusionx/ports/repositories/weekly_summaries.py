from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from fusionx.core.model.weekly_summary import WeekFigures


class WeeklySummaries(Protocol):
    """The weekly summary email's figures, and the durable record of who was sent which
    week (``weekly_summaries_sent``, unique on recipient and week)."""

    async def claim(self, staff_id: UUID, week: date, at: datetime) -> bool:
        """Record that ``staff_id``'s summary of the week starting ``week`` is sent, and
        say whether this unit did it: False when that week, or a later one, is recorded
        already (by another unit, committed: a recipient whose zone moved west must not
        be sent the week before again). A unit racing this one for the same pair waits for it; if it
        rolls back, the claim goes with it and the summary stays due."""
        ...

    async def figures(
        self, truck_ids: frozenset[UUID] | None, days: Sequence[datetime], *, top: int = 5
    ) -> WeekFigures:
        """Orders of ``truck_ids`` (None: every truck) placed from ``days[0]`` until
        ``days[-1]``, counted per day between consecutive ``days`` (UTC instants)."""
        ...

    async def usual_zone(self, truck_ids: frozenset[UUID] | None) -> str | None:
        """The time zone of the location where the latest shift of ``truck_ids`` (None:
        every truck) was opened; None before any shift."""
        ...
