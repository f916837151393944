"""A batch of shifts' analytics facts (``ShiftFacts``), read with one statement per
table on the shift-keyed indexes, for the rollup job and for a query's fresh tail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from fusionx.adapters.sql.mapping import plain_uuid
from fusionx.adapters.sql.tables import (
    LocationRow,
    OrderCancellationRow,
    OrderLineRow,
    OrderRow,
    RefundRow,
    ShiftRow,
    StockMovementRow,
    ThrottleRefusalRow,
    TicketRow,
)
from fusionx.core.model.analytics_facts import LineFact, MovementFact, OrderFact, ShiftFacts
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.refunds import RefundStatus
from fusionx.core.model.tickets import TicketState

# Shifts per statement: well under SQLite's 999 bound parameters.
BATCH = 200
# Orders per statement reading their lines, under the same bound.
LINES_BATCH = 900


async def shift_facts(
    connection: AsyncConnection,
    shift_ids: Sequence[UUID],
    now: datetime,
    *,
    with_orders: bool = True,
) -> list[ShiftFacts]:
    """The shifts' facts; without their orders if not ``with_orders`` (the stock ledger
    and throttle refusals only: what PostgreSQL's fresh tail does not sum in SQL)."""
    facts: list[ShiftFacts] = []
    for start in range(0, len(shift_ids), BATCH):
        ids = list(shift_ids[start : start + BATCH])
        orders = await _orders(connection, ids) if with_orders else {}
        facts.extend(await _batch(connection, ids, orders, now))
    return facts


async def _orders(connection: AsyncConnection, ids: list[UUID]) -> dict[UUID, list[OrderFact]]:
    refunds: dict[UUID, list[tuple[CancelReason, int]]] = defaultdict(list)
    for order_id, reason, cents in await connection.execute(
        select(RefundRow.order_id, RefundRow.reason, RefundRow.amount_cents).where(
            RefundRow.shift_id.in_(ids), RefundRow.status == RefundStatus.SUCCEEDED.value
        )
    ):
        refunds[plain_uuid(order_id)].append((CancelReason(reason), int(cents)))
    rows = await connection.execute(
        select(
            OrderRow.id,
            OrderRow.shift_id,
            OrderRow.created_at,
            OrderRow.total_cents,
            TicketRow.state,
            TicketRow.prep_at,
            TicketRow.ready_at,
            OrderCancellationRow.reason,
        )
        .join(TicketRow, TicketRow.order_id == OrderRow.id)
        .outerjoin(OrderCancellationRow, OrderCancellationRow.order_id == OrderRow.id)
        .where(OrderRow.shift_id.in_(ids))
    )
    placed = list(rows)
    lines: dict[UUID, list[LineFact]] = defaultdict(list)
    # By the orders' ids, not joined to ``orders``: PostgreSQL hashes a join over the
    # whole of ``order_lines`` (a year is millions of rows) for a few shifts' orders.
    order_ids = [order_id for order_id, *_ in placed]
    for start in range(0, len(order_ids), LINES_BATCH):
        for order_id, item_id, name, quantity, price in await connection.execute(
            select(
                OrderLineRow.order_id,
                OrderLineRow.item_id,
                OrderLineRow.name,
                OrderLineRow.quantity,
                OrderLineRow.unit_price_cents,
            )
            .where(OrderLineRow.order_id.in_(order_ids[start : start + LINES_BATCH]))
            .order_by(OrderLineRow.order_id, OrderLineRow.position)
        ):
            lines[plain_uuid(order_id)].append(LineFact(plain_uuid(item_id), name, quantity, price))
    orders: dict[UUID, list[OrderFact]] = defaultdict(list)
    for order_id, shift_id, at, total, state, prep_at, ready_at, reason in placed:
        key = plain_uuid(order_id)
        cancelled = state == TicketState.CANCELLED.value
        orders[plain_uuid(shift_id)].append(
            OrderFact(
                created_at=at,
                total_cents=int(total),
                cancelled=cancelled,
                cancel_reason=CancelReason(reason) if cancelled and reason else None,
                prep_at=prep_at,
                ready_at=ready_at,
                refunds=tuple(refunds.get(key, ())),
                lines=tuple(lines.get(key, ())),
            )
        )
    return orders


async def _batch(
    connection: AsyncConnection,
    ids: list[UUID],
    orders: dict[UUID, list[OrderFact]],
    now: datetime,
) -> list[ShiftFacts]:
    movements: dict[UUID, list[MovementFact]] = defaultdict(list)
    for shift_id, item_id, at, after, delta in await connection.execute(
        select(
            StockMovementRow.shift_id,
            StockMovementRow.item_id,
            StockMovementRow.at,
            StockMovementRow.on_hand_after,
            StockMovementRow.delta,
        ).where(StockMovementRow.shift_id.in_(ids))
    ):
        movements[plain_uuid(shift_id)].append(MovementFact(plain_uuid(item_id), at, after, delta))
    refusals: dict[UUID, list[tuple[datetime, int]]] = defaultdict(list)
    for shift_id, quarter, count in await connection.execute(
        select(
            ThrottleRefusalRow.shift_id, ThrottleRefusalRow.quarter, ThrottleRefusalRow.refusals
        ).where(ThrottleRefusalRow.shift_id.in_(ids))
    ):
        refusals[plain_uuid(shift_id)].append((quarter, int(count)))
    shifts = await connection.execute(
        select(ShiftRow.id, ShiftRow.truck_id, LocationRow.timezone, ShiftRow.closed_at)
        .join(LocationRow, LocationRow.id == ShiftRow.location_id)
        .where(ShiftRow.id.in_(ids))
    )
    return [
        ShiftFacts(
            shift_id=(key := plain_uuid(shift_id)),
            truck_id=plain_uuid(truck_id),
            zone=zone,
            ends_at=closed_at or now,
            orders=tuple(sorted(orders.get(key, ()), key=lambda order: order.created_at)),
            movements=tuple(movements.get(key, ())),
            refusals=tuple(refusals.get(key, ())),
        )
        for shift_id, truck_id, zone, closed_at in shifts
    ]
