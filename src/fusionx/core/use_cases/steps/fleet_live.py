"""The live fleet view's read, shared by its snapshot and its stream."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from uuid import UUID

from fusionx.core.model.fleet_live import TruckLive
from fusionx.core.rules.fleet_live import line_of
from fusionx.ports.unit_of_work import UnitOfWork

# "Orders in the last hour": the window the view counts orders over.
ORDERS_WINDOW = timedelta(hours=1)


async def live_lines(
    uow: UnitOfWork, trucks: Collection[UUID] | None, at: datetime, stale_after: timedelta
) -> list[TruckLive]:
    """The lines of ``trucks`` (None: every active truck) as of ``at``, by name: one
    read of the database, two statements."""
    activity = await uow.fleet_activity.trucks(
        trucks, orders_since=at - ORDERS_WINDOW, seen_before=at - stale_after
    )
    return [line_of(truck, at) for truck in activity]
