"""PostgreSQL's fresh tail: the orders of the shifts the rollup does not hold, summed in
SQL into the rows the rollup sums give (the same bucket keys, histogram bins, reasons
and items), instead of each order decoded into Python and rolled up there.

What each figure counts is ``rules.analytics.roll_up``'s definition, spelled in SQL:
the local hour is the order's instant on its location's clock (``timezone(zone, at)``:
the IANA zone Python's ``zoneinfo`` reads, from PostgreSQL's own copy of the time zone
database, which must be as recent for future rule changes), and the bins are generated from
``rules.analytics.BIN_BANDS``, so they are defined once. The stock ledger (sold-out
periods) and throttle refusals, a few rows a shift, are still rolled up by the domain.
The contract tests check that a shift read here and from the rollup gives the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Date,
    Integer,
    Row,
    String,
    and_,
    case,
    cast,
    extract,
    func,
    literal,
    literal_column,
    null,
    select,
)
from sqlalchemy import union_all as sql_union_all
from sqlalchemy.ext.asyncio import AsyncConnection

from fusionx.adapters.sql.tables import (
    LocationRow,
    OrderCancellationRow,
    OrderLineRow,
    OrderRow,
    RefundRow,
    ShiftRow,
    TicketRow,
)
from fusionx.core.model.analytics import AnalyticsRange, Bucket, HourFigures, ReasonKind
from fusionx.core.model.refunds import RefundStatus
from fusionx.core.model.tickets import TicketState
from fusionx.core.rules.analytics import BIN_BANDS, LAST_BIN

# The figures the ledger gives (summed by the domain from the shifts' stock movements
# and refusals), zero in the orders' sums; every other one is summed below.
LEDGER_FIGURES = frozenset({"sold_outs", "sold_out_seconds", "throttle_refusals"})


def bin_of(seconds: Any) -> Any:
    """``rules.analytics.bin_of`` in SQL, from the same bands (``seconds`` not null)."""
    whens = [
        (seconds >= low, func.least(first + func.floor((seconds - low) / width), LAST_BIN))
        for first, low, width in reversed(BIN_BANDS)
    ]
    return cast(case(*whens, else_=0), Integer)


def _placed(ids: Sequence[UUID], first: date, last: date) -> Any:
    """The shifts' orders with a ticket, one row each, on the local days ``first`` to
    ``last``: their local day, hour and week, and what ``roll_up`` reads of them."""
    refunded = (
        select(RefundRow.order_id, func.sum(RefundRow.amount_cents).label("cents"))
        .where(RefundRow.shift_id.in_(ids), RefundRow.status == RefundStatus.SUCCEEDED.value)
        .group_by(RefundRow.order_id)
        .subquery()
    )
    # Each table read by its shift index (the shifts' rows lie together) and hashed: a
    # ticket, a cancellation and a refund are on their order's shift. The orders of the
    # shifts are materialized before the days are picked: PostgreSQL cannot estimate the
    # local days' filter, and thinking it leaves a row or two it probed the tickets'
    # order index once an order, each probe a random read in a table of millions.
    zones = (
        select(ShiftRow.id, LocationRow.timezone)
        .join(LocationRow, LocationRow.id == ShiftRow.location_id)
        .where(ShiftRow.id.in_(ids))
        .subquery()
    )
    tickets = (
        select(TicketRow.order_id, TicketRow.state, TicketRow.prep_at, TicketRow.ready_at)
        .where(TicketRow.shift_id.in_(ids))
        .cte("tail_tickets")
        .prefix_with("MATERIALIZED")
    )
    reasons = (
        select(OrderCancellationRow.order_id, OrderCancellationRow.reason)
        .where(OrderCancellationRow.shift_id.in_(ids))
        .cte("tail_cancellations")
        .prefix_with("MATERIALIZED")
    )
    local = func.timezone(zones.c.timezone, OrderRow.created_at)
    placed = (
        select(
            OrderRow.id.label("order_id"),
            cast(local, Date).label("day"),
            cast(extract("hour", local), Integer).label("hour"),
            cast(func.date_trunc("week", local), Date).label("week"),
            OrderRow.total_cents.label("total"),
            (tickets.c.state == TicketState.CANCELLED.value).label("cancelled"),
            reasons.c.reason,
            extract("epoch", tickets.c.ready_at - tickets.c.prep_at).label("prep"),
            extract("epoch", tickets.c.ready_at - OrderRow.created_at).label("wait"),
            refunded.c.cents.label("refunded"),
        )
        .select_from(OrderRow)
        .join(zones, zones.c.id == OrderRow.shift_id)
        .join(tickets, tickets.c.order_id == OrderRow.id)
        .outerjoin(reasons, reasons.c.order_id == OrderRow.id)
        .outerjoin(refunded, refunded.c.order_id == OrderRow.id)
        .cte("tail_orders")
        .prefix_with("MATERIALIZED")
    )
    return select(placed).where(placed.c.day >= first, placed.c.day <= last).subquery("placed")


def _keys(placed: Any, bucket: Bucket) -> list[Any]:
    if bucket is Bucket.HOUR:
        return [placed.c.day, placed.c.hour]
    return [placed.c.day] if bucket is Bucket.DAY else [placed.c.week]


_WIDE = len(HourFigures.__struct_fields__)


async def sums(
    connection: AsyncConnection, ids: Sequence[UUID], span: AnalyticsRange
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The rows the rollup's figures, durations and reasons sums give, from the shifts'
    orders read once, in one statement: its parts padded to one shape, told apart by
    their first column, then cut back to (bucket keys, then the figures in
    ``HourFigures``' order), (keys, bin, prep tickets, wait tickets) and (keys, kind,
    reason, orders, cents)."""
    placed = _placed(ids, span.first, span.last)
    keys = _keys(placed, span.bucket)
    width = len(keys)

    def padded(part: int, by: list[Any], numbers: list[Any], *texts: Any) -> list[Any]:
        """(part, day or week, hour or null, ``_WIDE`` numbers, kind, reason)."""
        hour = by[1] if width == 2 else cast(null(), Integer)
        zeros: list[Any] = [literal_column("0")] * (_WIDE - len(numbers))
        labels = texts or (cast(null(), String), cast(null(), String))
        return [literal_column(str(part)), by[0], hour, *numbers, *zeros, *labels]

    live = ~placed.c.cancelled
    figures = {
        "orders": func.count(),
        "gross_cents": func.sum(placed.c.total),
        "cancelled_orders": func.count().filter(placed.c.cancelled),
        "cancelled_cents": func.coalesce(func.sum(placed.c.total).filter(placed.c.cancelled), 0),
        "refunded_orders": func.count().filter(and_(live, placed.c.refunded.is_not(None))),
        "refunded_cents": func.coalesce(func.sum(placed.c.refunded).filter(live), 0),
    }
    columns = [
        literal_column("0") if name in LEDGER_FIGURES else figures[name]
        for name in HourFigures.__struct_fields__
    ]
    durations = sql_union_all(
        select(*keys, bin_of(placed.c.prep).label("bin"), literal_column("1").label("prep"),
               literal_column("0").label("wait")).where(placed.c.prep.is_not(None)),
        select(*keys, bin_of(placed.c.wait).label("bin"), literal_column("0").label("prep"),
               literal_column("1").label("wait")).where(placed.c.wait.is_not(None)),
    ).subquery()  # fmt: skip
    grouped = [durations.c[key.name] for key in keys]
    by_reason = (
        select(
            RefundRow.order_id, RefundRow.reason, func.sum(RefundRow.amount_cents).label("cents")
        )
        .where(RefundRow.shift_id.in_(ids), RefundRow.status == RefundStatus.SUCCEEDED.value)
        .group_by(RefundRow.order_id, RefundRow.reason)
        .subquery()
    )
    cancellation = literal(ReasonKind.CANCELLATION.value, String)
    refund = literal(ReasonKind.REFUND.value, String)
    statement = sql_union_all(
        select(*padded(0, keys, columns)).group_by(*keys),
        select(
            *padded(
                1,
                grouped,
                [durations.c.bin, func.sum(durations.c.prep), func.sum(durations.c.wait)],
            )
        ).group_by(*grouped, durations.c.bin),
        select(
            *padded(
                2, keys, [func.count(), func.sum(placed.c.total)], cancellation, placed.c.reason
            )
        )
        .where(placed.c.cancelled, placed.c.reason.is_not(None))
        .group_by(*keys, placed.c.reason),
        select(
            *padded(
                2, keys, [func.count(), func.sum(by_reason.c.cents)], refund, by_reason.c.reason
            )
        )
        .select_from(placed)
        .join(by_reason, by_reason.c.order_id == placed.c.order_id)
        .where(live)
        .group_by(*keys, by_reason.c.reason),
    )
    sums: tuple[list[tuple[Any, ...]], ...] = ([], [], [])
    for row in await connection.execute(statement):
        part, key, numbers = row[0], tuple(row[1 : 1 + width]), row[3 : 3 + _WIDE]
        if part == 0:
            sums[0].append((*key, *numbers))
        elif part == 1:
            sums[1].append((*key, *numbers[:3]))
        else:
            sums[2].append((*key, *row[3 + _WIDE :], *numbers[:2]))
    return sums[0], sums[1], sums[2]


async def items(
    connection: AsyncConnection, ids: Sequence[UUID], first: date, last: date
) -> list[Row[Any]]:
    """(item id, name, quantity, sales cents) sold on orders not cancelled."""
    placed = _placed(ids, first, last)
    lines = OrderLineRow
    return list(
        await connection.execute(
            select(
                lines.item_id,
                func.max(lines.name),
                func.sum(lines.quantity),
                func.sum(lines.quantity * lines.unit_price_cents),
            )
            .select_from(placed)
            .join(lines, lines.order_id == placed.c.order_id)
            .where(~placed.c.cancelled)
            .group_by(lines.item_id)
        )
    )
