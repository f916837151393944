"""``FleetAnalytics`` in SQL: sums over the rollup tables, plus the fresh tail.

Why a rollup, and this one (docs/analytics.md has the columns and units):

- A year of a 50-truck fleet is a few million orders and several times as many lines;
  no index makes summing them per week answer in a second. The rollup holds what a
  shift traded per *local* hour (about ten rows a shift), its prep and wait time
  histograms (by hour, and by day for the long ranges), its cancellation and refund
  reasons, and its items by day: a year of the fleet is a few hundred thousand rows.
  Days and weeks read the day level (``analytics_days``, the hours' sums written with
  them), one row a shift and day instead of about eleven.
- Rows are per shift, computed in Python by ``rules.analytics.roll_up`` from the
  shift's base rows, so the time zone arithmetic (any offset, DST) is the same on
  SQLite, which has no time zones, and on PostgreSQL; and so a query can compute the
  same rows for the shifts the rollup does not hold, the tail.
- A shift's rows are valid for the event log number they were computed at
  (``analytics_shifts.seq`` against ``shifts.last_seq``): every change to a shift's
  orders (a ticket move, a cancellation, a refund days later) appends an event. So
  the job only rolls up closed shifts, and a query reads its rows only where the
  numbers agree; every other shift in the range (open ones, and closed ones changed
  since) is computed from its base rows at query time. Figures are never stale, and
  the tail is small: the open shifts, plus what changed since the job's last run.
- Throttle refusals only happen on open shifts, and are counted in their own table.
- On PostgreSQL the tail's orders are summed in SQL (``analytics_tail``) into rows shaped
  as the rollup's sums; fleet-wide days, weeks and top items read the fleet's day level
  (``analytics_fleet_day_*``, migration 0029) less the tail shifts' day rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import chain
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import delete, false, func, insert, or_, select, union, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from fusionx.adapters.sql.mapping import plain_uuid
from fusionx.adapters.sql.repositories import analytics_tail
from fusionx.adapters.sql.repositories.analytics_facts import shift_facts
from fusionx.adapters.sql.tables import (
    AnalyticsDayDurationRow,
    AnalyticsDayRow,
    AnalyticsFleetDayDurationRow,
    AnalyticsFleetDayItemRow,
    AnalyticsFleetDayReasonRow,
    AnalyticsHourDurationRow,
    AnalyticsHourRow,
    AnalyticsItemRow,
    AnalyticsReasonRow,
    AnalyticsShiftRow,
    ShiftRow,
    ThrottleRefusalRow,
)
from fusionx.core.model.analytics import (
    AnalyticsRange,
    Bucket,
    BucketFigures,
    HourFigures,
    ReasonKind,
    ShiftRollup,
)
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.summary import BestSeller
from fusionx.core.rules.analytics import (
    BucketKey,
    ItemTally,
    Tally,
    add_items,
    add_rollup,
    buckets_of,
    monday_of,
    roll_up,
    top_of,
)

_ROLLUPS = (
    AnalyticsHourRow,
    AnalyticsDayRow,
    AnalyticsHourDurationRow,
    AnalyticsDayDurationRow,
    AnalyticsReasonRow,
    AnalyticsItemRow,
)
_FIGURES = tuple(HourFigures.__struct_fields__)
_QUARTER = timedelta(minutes=15)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class SqlFleetAnalytics:
    """``FleetAnalytics`` on SQLite; ``PgFleetAnalytics`` spells its upsert for PostgreSQL."""

    _insert: Any = staticmethod(sqlite_insert)

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def report(
        self, trucks: frozenset[UUID] | None, span: AnalyticsRange, now: datetime
    ) -> tuple[BucketFigures, ...]:
        connection = await self._session.connection()
        stale = await self._stale(connection, trucks, span.first, span.last)
        tail = await self._tail(connection, stale, span, now)
        tallies: dict[BucketKey, Tally] = {}

        def tally(key: BucketKey) -> Tally:
            # Not ``setdefault``: a year of rows would build (and drop) a Tally each.
            found = tallies.get(key)
            if found is None:
                found = tallies[key] = Tally()
            return found

        # Days and weeks sum the day rows: one a shift and day instead of one an hour.
        hours: Any = AnalyticsHourRow if span.bucket is Bucket.HOUR else AnalyticsDayRow
        keys = _keys(hours, span.bucket)
        sums = [func.sum(getattr(hours, name)) for name in _FIGURES]
        rolled = await connection.execute(
            _rolled(hours, select(*keys, *sums), trucks, span, stale).group_by(*keys)
        )
        for row in chain(rolled, tail.figures):
            figures = tally(_key(span.bucket, row)).figures
            for name, value in zip(_FIGURES, row[len(keys) :], strict=True):
                setattr(figures, name, getattr(figures, name) + int(value))
        if trucks is None and span.bucket is not Bucket.HOUR:
            rolled = await connection.execute(_fleet_durations(span, stale))
        else:
            durations: Any = AnalyticsHourDurationRow
            if span.bucket is not Bucket.HOUR:
                durations = AnalyticsDayDurationRow
            keys = _keys(durations, span.bucket)
            rolled = await connection.execute(
                _rolled(
                    durations,
                    select(
                        *keys, durations.bin, func.sum(durations.prep), func.sum(durations.wait)
                    ),
                    trucks,
                    span,
                    stale,
                ).group_by(*keys, durations.bin)
            )
        for row in chain(rolled, tail.durations):
            target = tally(_key(span.bucket, row))
            index, prep, wait = row[-3:]
            if prep:
                target.prep[int(index)] += int(prep)
            if wait:
                target.wait[int(index)] += int(wait)
        if trucks is None and span.bucket is not Bucket.HOUR:
            rolled = await connection.execute(_fleet_reasons(span, stale))
        else:
            reasons = AnalyticsReasonRow
            keys = _keys(reasons, span.bucket)
            rolled = await connection.execute(
                _rolled(
                    reasons,
                    select(
                        *keys,
                        reasons.kind,
                        reasons.reason,
                        func.sum(reasons.orders),
                        func.sum(reasons.cents),
                    ),
                    trucks,
                    span,
                    stale,
                ).group_by(*keys, reasons.kind, reasons.reason)
            )
        for row in chain(rolled, tail.reasons):
            kind, reason, orders, cents = row[-4:]
            tally(_key(span.bucket, row)).add_reason(
                ReasonKind(kind), CancelReason(reason), int(orders), int(cents)
            )
        for rollup in tail.rollups:
            add_rollup(tallies, rollup, span.bucket, span.first, span.last)
        return buckets_of(tallies)

    async def top_items(
        self, trucks: frozenset[UUID] | None, first: date, last: date, limit: int, now: datetime
    ) -> tuple[BestSeller, ...]:
        connection = await self._session.connection()
        items = AnalyticsItemRow
        span = AnalyticsRange(first=first, last=last)
        stale = await self._stale(connection, trucks, first, last)
        tail = await self._tail(connection, stale, span, now, items=True)
        sold: dict[UUID, ItemTally] = {}
        if trucks is None:
            rolled = await connection.execute(_fleet_items(span, stale))
        else:
            rolled = await connection.execute(
                _rolled(
                    items,
                    select(
                        items.item_id,
                        func.max(items.name),
                        func.sum(items.quantity),
                        func.sum(items.sales_cents),
                    ),
                    trucks,
                    span,
                    stale,
                ).group_by(items.item_id)
            )
        for item_id, name, quantity, cents in chain(rolled, tail.items):
            sold.setdefault(plain_uuid(item_id), ItemTally(name)).add(
                name, int(quantity), int(cents)
            )
        for rollup in tail.rollups:
            add_items(sold, rollup, first, last)
        return top_of(sold, limit)

    async def _stale(
        self,
        connection: AsyncConnection,
        trucks: frozenset[UUID] | None,
        first: date,
        last: date,
    ) -> list[UUID]:
        """The shifts that may have traded on the days and that the rollup does not
        hold as they are now, read from their base rows (``_tail``). A local day lies
        within a day of the same UTC day, so a shift is near the days if it was open
        within them widened by a day on each side.

        Reads outside one transaction (the reading units autocommit) see the rollup
        move between statements, so the sums leave out exactly these shifts' rows,
        whatever the job wrote since: each shift is counted once, from one source."""
        since = datetime.combine(first - timedelta(days=1), time(0), UTC)
        until = datetime.combine(last + timedelta(days=2), time(0), UTC)
        query = (
            select(ShiftRow.id)
            .outerjoin(AnalyticsShiftRow, AnalyticsShiftRow.shift_id == ShiftRow.id)
            .where(
                or_(AnalyticsShiftRow.seq.is_(None), AnalyticsShiftRow.seq != ShiftRow.last_seq),
                ShiftRow.opened_at < until,
                or_(ShiftRow.closed_at.is_(None), ShiftRow.closed_at >= since),
            )
        )
        if trucks is not None:
            query = query.where(ShiftRow.truck_id.in_(sorted(trucks)) if trucks else false())
        return [plain_uuid(shift_id) for (shift_id,) in await connection.execute(query)]

    async def _tail(
        self,
        connection: AsyncConnection,
        stale: Sequence[UUID],
        span: AnalyticsRange,
        now: datetime,
        *,
        items: bool = False,
    ) -> _Tail:
        """The ``stale`` shifts' figures from their base rows: here each shift rolled up
        by the domain (SQLite has no time zones to place an order in its local hour),
        whatever the days and figures asked: ``add_rollup`` keeps the span's."""
        del span, items
        return _Tail(
            rollups=[roll_up(facts) for facts in await shift_facts(connection, stale, now)]
        )

    async def roll_up(self, now: datetime, *, limit: int) -> int:
        connection = await self._session.connection()
        due = list(
            await connection.execute(
                select(ShiftRow.id, ShiftRow.last_seq)
                .outerjoin(AnalyticsShiftRow, AnalyticsShiftRow.shift_id == ShiftRow.id)
                .where(
                    ShiftRow.state == ShiftState.CLOSED.value,
                    or_(
                        AnalyticsShiftRow.seq.is_(None),
                        AnalyticsShiftRow.seq != ShiftRow.last_seq,
                    ),
                )
                .order_by(ShiftRow.closed_at, ShiftRow.id)
                .limit(limit)
            )
        )
        if not due:
            return 0
        # The numbers are read before the facts: rows computed from newer facts than
        # their number says are only rolled up again, never trusted while stale.
        seqs = {plain_uuid(shift_id): int(seq) for shift_id, seq in due}
        ids = list(seqs)
        days = set(
            await connection.scalars(
                union(
                    select(AnalyticsDayDurationRow.day).where(
                        AnalyticsDayDurationRow.shift_id.in_(ids)
                    ),
                    select(AnalyticsItemRow.day).where(AnalyticsItemRow.shift_id.in_(ids)),
                    select(AnalyticsReasonRow.day).where(AnalyticsReasonRow.shift_id.in_(ids)),
                )
            )
        )
        for table in (*_ROLLUPS, AnalyticsShiftRow):
            await connection.execute(delete(table).where(table.shift_id.in_(ids)))
        rollups = [roll_up(facts) for facts in await shift_facts(connection, ids, now)]
        for table, rows in _rows_of(rollups).items():
            if rows:
                await connection.execute(insert(table), rows)
            if table in (AnalyticsDayDurationRow, AnalyticsItemRow, AnalyticsReasonRow):
                days.update(row["day"] for row in rows)
        await _refresh_fleet_days(connection, sorted(days))
        await connection.execute(
            insert(AnalyticsShiftRow),
            [{"shift_id": key, "seq": seq, "rolled_at": now} for key, seq in seqs.items()],
        )
        return len(due)

    async def count_refusal(self, shift_id: UUID, at: datetime) -> None:
        quarter = _EPOCH + ((at - _EPOCH) // _QUARTER) * _QUARTER
        statement = self._insert(ThrottleRefusalRow).values(
            shift_id=shift_id, quarter=quarter, refusals=1
        )
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["shift_id", "quarter"],
                set_={"refusals": ThrottleRefusalRow.refusals + 1},
            )
        )


class PgFleetAnalytics(SqlFleetAnalytics):
    _insert = staticmethod(pg_insert)

    async def _tail(
        self,
        connection: AsyncConnection,
        stale: Sequence[UUID],
        span: AnalyticsRange,
        now: datetime,
        *,
        items: bool = False,
    ) -> _Tail:
        """The orders summed in SQL into the rollup's rows (``analytics_tail``): a few
        hundred rows whatever the orders, instead of every order, line and ticket decoded
        and rolled up in Python; the ledger (stock movements, refusals) by the domain."""
        if not stale:
            return _Tail()
        if items:
            return _Tail(items=await analytics_tail.items(connection, stale, span.first, span.last))
        ledger = await shift_facts(connection, stale, now, with_orders=False)
        figures, durations, reasons = await analytics_tail.sums(connection, stale, span)
        return _Tail(
            figures=figures,
            durations=durations,
            reasons=reasons,
            rollups=[roll_up(facts) for facts in ledger],
        )


class _Tail(msgspec.Struct, kw_only=True):
    """What the stale shifts add: rows shaped as the rollup's sums give them (figures,
    durations, reasons, items), and rollups to add as they are."""

    figures: Sequence[Any] = ()
    durations: Sequence[Any] = ()
    reasons: Sequence[Any] = ()
    items: Sequence[Any] = ()
    rollups: Sequence[ShiftRollup] = ()


def _keys(table: Any, bucket: Bucket) -> list[Any]:
    if bucket is Bucket.HOUR:
        return [table.day, table.hour]
    return [table.day] if bucket is Bucket.DAY else [table.week]


def _key(bucket: Bucket, row: Any) -> BucketKey:
    return (row[0], int(row[1])) if bucket is Bucket.HOUR else (row[0], None)


def _rolled(
    table: Any,
    query: Any,
    trucks: frozenset[UUID] | None,
    span: AnalyticsRange,
    stale: Sequence[UUID],
) -> Any:
    """``query`` over the rows of ``table`` on the days, but those of ``stale`` shifts."""
    query = query.select_from(table).where(table.day >= span.first, table.day <= span.last)
    if stale:
        query = query.where(table.shift_id.not_in(stale))
    if trucks is not None:
        query = query.where(table.truck_id.in_(sorted(trucks)) if trucks else false())
    return query


# Days per statement recomputing the fleet's day rows (the job's batch spans a few).
_DAYS_BATCH = 200


async def _refresh_fleet_days(connection: AsyncConnection, days: Sequence[date]) -> None:
    """The fleet's rows of ``days`` recomputed from the day rows, in the transaction that
    changed those: ``analytics_fleet_day_*`` always equal the sums of the day rows."""
    fleet, durations = AnalyticsFleetDayDurationRow, AnalyticsDayDurationRow
    fleet_items, items = AnalyticsFleetDayItemRow, AnalyticsItemRow
    fleet_reasons, reasons = AnalyticsFleetDayReasonRow, AnalyticsReasonRow
    for start in range(0, len(days), _DAYS_BATCH):
        chunk = days[start : start + _DAYS_BATCH]
        await connection.execute(delete(fleet).where(fleet.day.in_(chunk)))
        await connection.execute(
            insert(fleet).from_select(
                ["day", "bin", "week", "prep", "wait"],
                select(
                    durations.day,
                    durations.bin,
                    func.min(durations.week),
                    func.sum(durations.prep),
                    func.sum(durations.wait),
                )
                .where(durations.day.in_(chunk))
                .group_by(durations.day, durations.bin),
            )
        )
        await connection.execute(delete(fleet_reasons).where(fleet_reasons.day.in_(chunk)))
        await connection.execute(
            insert(fleet_reasons).from_select(
                ["day", "kind", "reason", "week", "orders", "cents"],
                select(
                    reasons.day,
                    reasons.kind,
                    reasons.reason,
                    func.min(reasons.week),
                    func.sum(reasons.orders),
                    func.sum(reasons.cents),
                )
                .where(reasons.day.in_(chunk))
                .group_by(reasons.day, reasons.kind, reasons.reason),
            )
        )
        await connection.execute(delete(fleet_items).where(fleet_items.day.in_(chunk)))
        await connection.execute(
            insert(fleet_items).from_select(
                ["day", "item_id", "name", "quantity", "sales_cents"],
                select(
                    items.day,
                    items.item_id,
                    func.max(items.name),
                    func.sum(items.quantity),
                    func.sum(items.sales_cents),
                )
                .where(items.day.in_(chunk))
                .group_by(items.day, items.item_id),
            )
        )


def _fleet_durations(span: AnalyticsRange, stale: Sequence[UUID]) -> Any:
    """The whole fleet's histograms by day or week (the fleet's day rows), less those
    of the ``stale`` shifts the rollup holds (their tail replaces them): one statement,
    so both are read from one snapshot."""
    fleet, durations = AnalyticsFleetDayDurationRow, AnalyticsDayDurationRow
    by_week = span.bucket is Bucket.WEEK
    parts: list[Any] = [
        select(
            (fleet.week if by_week else fleet.day).label("key"),
            fleet.bin,
            fleet.prep,
            fleet.wait,
        ).where(fleet.day >= span.first, fleet.day <= span.last)
    ]
    if stale:
        parts.append(
            select(
                (durations.week if by_week else durations.day).label("key"),
                durations.bin,
                -durations.prep,
                -durations.wait,
            ).where(
                durations.day >= span.first,
                durations.day <= span.last,
                durations.shift_id.in_(stale),
            )
        )
    both = union_all(*parts).subquery()
    return select(both.c.key, both.c.bin, func.sum(both.c.prep), func.sum(both.c.wait)).group_by(
        both.c.key, both.c.bin
    )


def _fleet_reasons(span: AnalyticsRange, stale: Sequence[UUID]) -> Any:
    """The whole fleet's reasons by day or week, less the ``stale`` shifts' rows (a
    reason no shift left is no row: the rollup's rows count an order at least)."""
    fleet, reasons = AnalyticsFleetDayReasonRow, AnalyticsReasonRow
    by_week = span.bucket is Bucket.WEEK
    parts: list[Any] = [
        select(
            (fleet.week if by_week else fleet.day).label("key"),
            fleet.kind,
            fleet.reason,
            fleet.orders,
            fleet.cents,
        ).where(fleet.day >= span.first, fleet.day <= span.last)
    ]
    if stale:
        parts.append(
            select(
                (reasons.week if by_week else reasons.day).label("key"),
                reasons.kind,
                reasons.reason,
                -reasons.orders,
                -reasons.cents,
            ).where(
                reasons.day >= span.first,
                reasons.day <= span.last,
                reasons.shift_id.in_(stale),
            )
        )
    both = union_all(*parts).subquery()
    return (
        select(
            both.c.key, both.c.kind, both.c.reason, func.sum(both.c.orders), func.sum(both.c.cents)
        )
        .group_by(both.c.key, both.c.kind, both.c.reason)
        .having(func.sum(both.c.orders) != 0)
    )


def _fleet_items(span: AnalyticsRange, stale: Sequence[UUID]) -> Any:
    """The whole fleet's item sales over the days, less the ``stale`` shifts' rows."""
    fleet, items = AnalyticsFleetDayItemRow, AnalyticsItemRow
    parts: list[Any] = [
        select(fleet.item_id, fleet.name, fleet.quantity, fleet.sales_cents).where(
            fleet.day >= span.first, fleet.day <= span.last
        )
    ]
    if stale:
        parts.append(
            select(items.item_id, items.name, -items.quantity, -items.sales_cents).where(
                items.day >= span.first, items.day <= span.last, items.shift_id.in_(stale)
            )
        )
    both = union_all(*parts).subquery()
    return (
        select(
            both.c.item_id,
            func.max(both.c.name),
            func.sum(both.c.quantity),
            func.sum(both.c.sales_cents),
        )
        .group_by(both.c.item_id)
        .having(func.sum(both.c.quantity) != 0)
    )


def _rows_of(rollups: Sequence[ShiftRollup]) -> dict[Any, list[dict[str, Any]]]:
    rows: dict[Any, list[dict[str, Any]]] = {table: [] for table in _ROLLUPS}
    for rollup in rollups:
        own = {"shift_id": rollup.shift_id, "truck_id": rollup.truck_id}
        days: dict[date, dict[str, Any]] = {}
        for at, figures in rollup.hours.items():
            sums = {name: getattr(figures, name) for name in _FIGURES}
            rows[AnalyticsHourRow].append(
                own | {"day": at.day, "hour": at.hour, "week": monday_of(at.day)} | sums
            )
            total = days.setdefault(
                at.day,
                own | {"day": at.day, "week": monday_of(at.day)} | dict.fromkeys(_FIGURES, 0),
            )
            for name, value in sums.items():
                total[name] += value
        rows[AnalyticsDayRow].extend(days.values())
        daily: dict[date, dict[int, list[int]]] = {}
        for at in sorted(set(rollup.prep) | set(rollup.wait)):
            prep, wait = rollup.prep.get(at, {}), rollup.wait.get(at, {})
            bins = daily.setdefault(at.day, {})
            for index in sorted(set(prep) | set(wait)):
                counts = (prep.get(index, 0), wait.get(index, 0))
                rows[AnalyticsHourDurationRow].append(
                    own
                    | {"day": at.day, "hour": at.hour, "bin": index}
                    | {"prep": counts[0], "wait": counts[1]}
                )
                both = bins.setdefault(index, [0, 0])
                both[0] += counts[0]
                both[1] += counts[1]
        for day, bins in daily.items():
            rows[AnalyticsDayDurationRow].extend(
                own | {"day": day, "week": monday_of(day), "bin": index, "prep": p, "wait": w}
                for index, (p, w) in bins.items()
            )
        for at, reasons in rollup.reasons.items():
            rows[AnalyticsReasonRow].extend(
                own
                | {"day": at.day, "hour": at.hour, "week": monday_of(at.day)}
                | {"kind": kind.value, "reason": reason.value, "orders": n, "cents": cents}
                for (kind, reason), (n, cents) in reasons.items()
            )
        for day, items in rollup.items.items():
            rows[AnalyticsItemRow].extend(
                own
                | {"day": day, "item_id": item_id, "name": name}
                | {"quantity": quantity, "sales_cents": cents}
                for item_id, (name, quantity, cents) in items.items()
            )
    return rows
