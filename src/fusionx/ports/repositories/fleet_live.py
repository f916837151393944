from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol
from uuid import UUID

from fusionx.core.model.fleet_live import TruckActivity


class FleetActivity(Protocol):
    """What is going on across the fleet now, counted where the data is (in SQL)."""

    async def trucks(
        self, truck_ids: Collection[UUID] | None, *, orders_since: datetime, seen_before: datetime
    ) -> list[TruckActivity]:
        """The active trucks among ``truck_ids`` (None: every one), by name then id, each
        with its open (or paused) shift, its orders that reached the kitchen created at or
        after ``orders_since``, its open shift's queued tickets and typical prep time, and
        its devices not revoked whose last heartbeat is before ``seen_before`` (never-seen
        devices are not quiet: they have not started), oldest heartbeat first."""
        ...
