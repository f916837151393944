from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from fusionx.adapters.sql.mapping import plain_uuid
from fusionx.adapters.sql.repositories.capacity import live_order, ticket_times
from fusionx.adapters.sql.tables import OrderLineRow, OrderRow, RefundRow, TicketRow
from fusionx.adapters.sql.time_math import epoch_bucket, seconds_between
from fusionx.core.model.refunds import RefundStatus
from fusionx.core.model.summary import BestSeller, DurationStats, OrderBucket, ShiftFigures
from fusionx.core.model.tickets import TicketState
from fusionx.core.rules.statistics import percentile_cont

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
P90 = 0.9


class SqlShiftSummaries:
    """``ShiftSummaries`` as a handful of aggregate queries: only counts, sums and (on
    SQLite, which has no ``percentile_cont``) one sorted column of durations come back.
    ``PgShiftSummaries`` lets PostgreSQL work out the statistics itself."""

    _dialect = "sqlite"

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def figures(
        self, shift_id: UUID, *, bucket_minutes: int = 15, best_sellers: int = 10
    ) -> ShiftFigures:
        connection = await self._session.connection()
        by_state = await connection.execute(
            select(TicketRow.state, func.count(), func.sum(OrderRow.total_cents))
            .join(TicketRow, TicketRow.order_id == OrderRow.id)
            .where(OrderRow.shift_id == shift_id)
            .group_by(TicketRow.state)
        )
        counts: dict[TicketState, int] = {}
        sales: dict[TicketState, int] = {}
        for state, count, total in by_state:
            counts[TicketState(state)], sales[TicketState(state)] = int(count), int(total or 0)
        times = ticket_times()
        prep = seconds_between(self._dialect, times.c.prep_at, times.c.ready_at)
        wait = seconds_between(self._dialect, times.c.ordered_at, times.c.ready_at)
        return ShiftFigures(
            orders=sum(counts.values()),
            by_state=counts,
            gross_cents=sum(sales.values()),
            cancelled_cents=sales.get(TicketState.CANCELLED, 0),
            refunded_cents=await self._refunded(connection, shift_id),
            prep=await self._stats(connection, prep, shift_id),
            wait=await self._stats(connection, wait, shift_id),
            buckets=await self._buckets(connection, shift_id, bucket_minutes),
            best_sellers=await self._best_sellers(connection, shift_id, best_sellers),
        )

    async def _refunded(self, connection: AsyncConnection, shift_id: UUID) -> int:
        """Succeeded refunds of the shift's orders still in its net sales (a ticket, not
        cancelled)."""
        given = await connection.execute(
            select(func.coalesce(func.sum(RefundRow.amount_cents), 0))
            .join(TicketRow, TicketRow.order_id == RefundRow.order_id)
            .where(
                RefundRow.shift_id == shift_id,
                RefundRow.status == RefundStatus.SUCCEEDED.value,
                TicketRow.state != TicketState.CANCELLED.value,
            )
        )
        return int(given.scalar_one())

    async def _stats(
        self, connection: AsyncConnection, duration: Any, shift_id: UUID
    ) -> DurationStats:
        result = await connection.execute(
            select(duration).where(duration.is_not(None)).order_by(duration), {"shift": shift_id}
        )
        ordered = [float(value) for (value,) in result]
        if not ordered:
            return DurationStats(count=0)
        return _stats_of(len(ordered), sum(ordered) / len(ordered), percentile_cont(ordered, P90))

    async def _buckets(
        self, connection: AsyncConnection, shift_id: UUID, minutes: int
    ) -> tuple[OrderBucket, ...]:
        seconds = minutes * 60
        bucket = epoch_bucket(self._dialect, OrderRow.created_at, seconds).label("bucket")
        result = await connection.execute(
            select(bucket, func.count())
            .join(TicketRow, TicketRow.order_id == OrderRow.id)
            .where(OrderRow.shift_id == shift_id)
            .group_by(bucket)
            .order_by(bucket)
        )
        return tuple(
            OrderBucket(starts_at=_EPOCH + timedelta(seconds=int(n) * seconds), orders=int(count))
            for n, count in result
        )

    async def _best_sellers(
        self, connection: AsyncConnection, shift_id: UUID, limit: int
    ) -> tuple[BestSeller, ...]:
        quantity = func.sum(OrderLineRow.quantity)
        name = func.max(OrderLineRow.name)
        result = await connection.execute(
            select(
                OrderLineRow.item_id,
                name,
                quantity,
                func.sum(OrderLineRow.quantity * OrderLineRow.unit_price_cents),
            )
            .join(OrderRow, OrderRow.id == OrderLineRow.order_id)
            .join(TicketRow, TicketRow.order_id == OrderRow.id)
            .where(OrderRow.shift_id == shift_id, live_order())
            .group_by(OrderLineRow.item_id)
            .order_by(quantity.desc(), name, OrderLineRow.item_id)
            .limit(limit)
        )
        return tuple(
            BestSeller(
                item_id=plain_uuid(item_id),
                name=item_name,
                quantity=int(sold),
                sales_cents=int(cents),
            )
            for item_id, item_name, sold, cents in result
        )


class PgShiftSummaries(SqlShiftSummaries):
    _dialect = "postgresql"

    async def _stats(
        self, connection: AsyncConnection, duration: Any, shift_id: UUID
    ) -> DurationStats:
        statistics = select(
            func.count(duration),
            func.avg(duration),
            func.percentile_cont(P90).within_group(duration),
        ).where(duration.is_not(None))
        count, average, p90 = (await connection.execute(statistics, {"shift": shift_id})).one()
        if not count:
            return DurationStats(count=0)
        return _stats_of(int(count), average, p90)


def _stats_of(count: int, average: Any, p90: Any) -> DurationStats:
    return DurationStats(
        count=count,
        average_seconds=round(float(average), 3),
        p90_seconds=round(float(p90), 3),
    )
