"""PostgreSQL's fresh tail: the orders of the shifts the rollup does not hold, summed in
SQL into the rows the rollup sums give (the same bucket keys, histogram bins, reasons
and items), instead of each order decoded into Python and rolled up there.

What each figure counts is ``rules.analytics.roll_up``'s definition, spelled in SQL:
the local hour is the order's instant on its location's clock (``timezone(zone, at)``,
the IANA zone as Python's ``zoneinfo`` reads it), and the bins are generated from
``rules.analytics.BIN_BANDS``, so they are defined once. The stock ledger (sold-out
periods) and throttle refusals, a few rows a shift, are still rolled up by the domain.
The contract tests check that a shift read here and from the rollup gives the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Date, Integer, Row, and_, case, cast, extract, func, literal, select
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


async def figures(
    connection: AsyncConnection, ids: Sequence[UUID], span: AnalyticsRange
) -> list[Row[Any]]:
    """(bucket keys, then ``HourFigures``' fields in order), a row a bucket."""
    placed = _placed(ids, span.first, span.last)
    live = ~placed.c.cancelled
    sums = {
        "orders": func.count(),
        "gross_cents": func.sum(placed.c.total),
        "cancelled_orders": func.count().filter(placed.c.cancelled),
        "cancelled_cents": func.coalesce(func.sum(placed.c.total).filter(placed.c.cancelled), 0),
        "refunded_orders": func.count().filter(and_(live, placed.c.refunded.is_not(None))),
        "refunded_cents": func.coalesce(func.sum(placed.c.refunded).filter(live), 0),
    }
    keys = _keys(placed, span.bucket)
    columns = [
        literal(0) if name in LEDGER_FIGURES else sums[name]
        for name in HourFigures.__struct_fields__
    ]
    return list(await connection.execute(select(*keys, *columns).group_by(*keys)))


async def durations(
    connection: AsyncConnection, ids: Sequence[UUID], span: AnalyticsRange
) -> list[Row[Any]]:
    """(bucket keys, bin, prep tickets, wait tickets), a row a bucket and bin."""
    placed = _placed(ids, span.first, span.last)
    keys = _keys(placed, span.bucket)
    both = sql_union_all(
        select(*keys, bin_of(placed.c.prep).label("bin"), literal(1).label("prep"),
               literal(0).label("wait")).where(placed.c.prep.is_not(None)),
        select(*keys, bin_of(placed.c.wait).label("bin"), literal(0).label("prep"),
               literal(1).label("wait")).where(placed.c.wait.is_not(None)),
    ).subquery()  # fmt: skip
    grouped = [both.c[key.name] for key in keys]
    return list(
        await connection.execute(
            select(*grouped, both.c.bin, func.sum(both.c.prep), func.sum(both.c.wait)).group_by(
                *grouped, both.c.bin
            )
        )
    )


async def reasons(
    connection: AsyncConnection, ids: Sequence[UUID], span: AnalyticsRange
) -> list[Row[Any]]:
    """(bucket keys, kind, reason, orders, cents): cancellations with a reason, and
    refunds on orders not cancelled, an order counted once a reason."""
    placed = _placed(ids, span.first, span.last)
    keys = _keys(placed, span.bucket)
    cancelled = (
        select(
            *keys,
            literal(ReasonKind.CANCELLATION.value).label("kind"),
            placed.c.reason,
            func.count(),
            func.sum(placed.c.total),
        )
        .where(placed.c.cancelled, placed.c.reason.is_not(None))
        .group_by(*keys, placed.c.reason)
    )
    by_reason = (
        select(
            RefundRow.order_id,
            RefundRow.reason,
            func.sum(RefundRow.amount_cents).label("cents"),
        )
        .where(RefundRow.shift_id.in_(ids), RefundRow.status == RefundStatus.SUCCEEDED.value)
        .group_by(RefundRow.order_id, RefundRow.reason)
        .subquery()
    )
    refunded = (
        select(
            *keys,
            literal(ReasonKind.REFUND.value).label("kind"),
            by_reason.c.reason,
            func.count(),
            func.sum(by_reason.c.cents),
        )
        .select_from(placed)
        .join(by_reason, by_reason.c.order_id == placed.c.order_id)
        .where(~placed.c.cancelled)
        .group_by(*keys, by_reason.c.reason)
    )
    return list(await connection.execute(sql_union_all(cancelled, refunded)))


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
