"""The weekly summary's figures as a few aggregate queries over a week of orders, and
its sent record as an insert that a second claim of the same (recipient, week) skips."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from fusionx.adapters.sql.mapping import plain_uuid
from fusionx.adapters.sql.tables import (
    LocationRow,
    OrderLineRow,
    OrderRow,
    RefundRow,
    ShiftRow,
    TicketRow,
    WeeklySummarySentRow,
)
from fusionx.adapters.sql.time_math import seconds_between
from fusionx.core.model.refunds import RefundStatus
from fusionx.core.model.summary import BestSeller
from fusionx.core.model.tickets import TicketState
from fusionx.core.model.weekly_summary import WeekFigures
from fusionx.core.rules.statistics import percentile_cont

_CANCELLED = TicketRow.state == TicketState.CANCELLED.value


class SqlWeeklySummaries:
    """``WeeklySummaries`` on SQLite; ``PgWeeklySummaries`` lets PostgreSQL work out the
    prep-time percentiles itself."""

    _dialect = "sqlite"

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, staff_id: UUID, week: date, at: datetime) -> bool:
        later = select(WeeklySummarySentRow.week).where(
            WeeklySummarySentRow.staff_id == staff_id, WeeklySummarySentRow.week >= week
        )
        if await self._session.scalar(later.limit(1)) is not None:
            return False
        insert = pg_insert if self._dialect == "postgresql" else sqlite_insert
        # PostgreSQL makes a racing insert of the same key wait for this transaction's
        # end, then skip (it committed) or go ahead (it rolled back).
        result = await self._session.execute(
            insert(WeeklySummarySentRow)
            .values(staff_id=staff_id, week=week, sent_at=at)
            .on_conflict_do_nothing()
        )
        return bool(getattr(result, "rowcount", 0))

    async def figures(
        self, truck_ids: frozenset[UUID] | None, days: Sequence[datetime], *, top: int = 5
    ) -> WeekFigures:
        connection = await self._session.connection()
        within = _within(truck_ids, days)
        orders, gross, cancelled, cancelled_cents = (
            await connection.execute(
                _week(
                    select(
                        func.count(),
                        func.sum(OrderRow.total_cents),
                        func.sum(case((_CANCELLED, 1), else_=0)),
                        func.sum(case((_CANCELLED, OrderRow.total_cents), else_=0)),
                    ),
                    within,
                )
            )
        ).one()
        day = case(
            *((OrderRow.created_at < end, n) for n, end in enumerate(days[1:-1])),
            else_=len(days) - 2,
        ).label("day")
        per_day = {
            int(n): int(count)
            for n, count in await connection.execute(
                _week(select(day, func.count()), within).group_by(day)
            )
        }
        p50, p90 = await self._prep(connection, within)
        return WeekFigures(
            orders=int(orders),
            gross_cents=int(gross or 0),
            cancelled_cents=int(cancelled_cents or 0),
            refunded_cents=await self._refunded(connection, within),
            live_orders=int(orders) - int(cancelled or 0),
            daily_orders=tuple(per_day.get(n, 0) for n in range(len(days) - 1)),
            prep_p50_seconds=p50,
            prep_p90_seconds=p90,
            top_items=await self._top(connection, within, top),
        )

    async def _refunded(
        self, connection: AsyncConnection, within: list[ColumnElement[bool]]
    ) -> int:
        """Succeeded refunds of the week's orders still in its net sales (not cancelled)."""
        given = await connection.execute(
            _week(
                select(func.coalesce(func.sum(RefundRow.amount_cents), 0)),
                [*within, ~_CANCELLED, RefundRow.status == RefundStatus.SUCCEEDED.value],
            ).join(RefundRow, RefundRow.order_id == OrderRow.id)
        )
        return int(given.scalar_one())

    def _prep_seconds(self) -> ColumnElement[float]:
        return seconds_between(self._dialect, TicketRow.prep_at, TicketRow.ready_at)

    async def _prep(
        self, connection: AsyncConnection, within: list[ColumnElement[bool]]
    ) -> tuple[float | None, float | None]:
        prep = self._prep_seconds()
        result = await connection.execute(
            _week(select(prep), [*within, prep.is_not(None)]).order_by(prep)
        )
        ordered = [float(value) for (value,) in result]
        return _rounded(percentile_cont(ordered, 0.5)), _rounded(percentile_cont(ordered, 0.9))

    async def _top(
        self, connection: AsyncConnection, within: list[ColumnElement[bool]], limit: int
    ) -> tuple[BestSeller, ...]:
        quantity = func.sum(OrderLineRow.quantity)
        name = func.max(OrderLineRow.name)
        result = await connection.execute(
            _week(
                select(
                    OrderLineRow.item_id,
                    name,
                    quantity,
                    func.sum(OrderLineRow.quantity * OrderLineRow.unit_price_cents),
                ),
                [*within, ~_CANCELLED],
            )
            .join(OrderLineRow, OrderLineRow.order_id == OrderRow.id)
            .group_by(OrderLineRow.item_id)
            .order_by(quantity.desc(), name, OrderLineRow.item_id)
            .limit(limit)
        )
        return tuple(
            BestSeller(
                item_id=plain_uuid(item_id), name=item, quantity=int(sold), sales_cents=int(cents)
            )
            for item_id, item, sold, cents in result
        )

    async def usual_zone(self, truck_ids: frozenset[UUID] | None) -> str | None:
        query = (
            select(LocationRow.timezone)
            .join(ShiftRow, ShiftRow.location_id == LocationRow.id)
            .order_by(ShiftRow.opened_at.desc(), ShiftRow.id.desc())
            .limit(1)
        )
        if truck_ids is not None:
            query = query.where(ShiftRow.truck_id.in_(sorted(truck_ids)))
        zone = await self._session.scalar(query)
        return None if zone is None else str(zone)


class PgWeeklySummaries(SqlWeeklySummaries):
    _dialect = "postgresql"

    async def _prep(
        self, connection: AsyncConnection, within: list[ColumnElement[bool]]
    ) -> tuple[float | None, float | None]:
        prep = self._prep_seconds()
        p50, p90 = (
            await connection.execute(
                _week(
                    select(
                        func.percentile_cont(0.5).within_group(prep),
                        func.percentile_cont(0.9).within_group(prep),
                    ),
                    [*within, prep.is_not(None)],
                )
            )
        ).one()
        return _rounded(p50), _rounded(p90)


def _within(truck_ids: frozenset[UUID] | None, days: Sequence[datetime]) -> list[Any]:
    conditions = [OrderRow.created_at >= days[0], OrderRow.created_at < days[-1]]
    if truck_ids is not None:
        conditions.append(ShiftRow.truck_id.in_(sorted(truck_ids)))
    return conditions


def _week(query: Any, conditions: list[Any]) -> Any:
    """``query`` over the orders (with their ticket) of the trucks and week."""
    return (
        query.select_from(OrderRow)
        .join(TicketRow, TicketRow.order_id == OrderRow.id)
        .join(ShiftRow, ShiftRow.id == OrderRow.shift_id)
        .where(*conditions)
    )


def _rounded(seconds: Any) -> float | None:
    return None if seconds is None else round(float(seconds), 3)
