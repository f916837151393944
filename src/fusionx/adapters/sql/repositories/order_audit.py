"""The audit trails of cancellations and refunds on SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from fusionx.adapters.sql.errors import unique_writes
from fusionx.adapters.sql.mapping import (
    actor_from,
    entity_from,
    named,
    plain_uuid,
    row_values,
)
from fusionx.adapters.sql.tables import OrderCancellationRow, RefundLineRow, RefundRow
from fusionx.core.model.cancellations import Cancellation, CancelReason, ReasonTotal
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.refunds import Refund, RefundLine, RefundStatus
from fusionx.core.model.tickets import TicketState

_CANCELLATION = (
    OrderCancellationRow.order_id,
    OrderCancellationRow.ticket_id,
    OrderCancellationRow.shift_id,
    OrderCancellationRow.number,
    OrderCancellationRow.reason,
    OrderCancellationRow.note,
    OrderCancellationRow.from_state,
    OrderCancellationRow.stock_returned,
    OrderCancellationRow.amount_cents,
    OrderCancellationRow.actor_kind,
    OrderCancellationRow.actor_id,
    OrderCancellationRow.at,
)
_REFUND = (
    RefundRow.id,
    RefundRow.order_id,
    RefundRow.shift_id,
    RefundRow.reason,
    RefundRow.note,
    RefundRow.amount_cents,
    RefundRow.actor_kind,
    RefundRow.actor_id,
    RefundRow.at,
    RefundRow.reference,
    RefundRow.status,
    RefundRow.failure,
)

_HEAD = len(_REFUND)


class SqlCancellationLog:
    """``CancellationLog`` on ``order_cancellations``, one row per order."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, cancellation: Cancellation) -> None:
        async with unique_writes(self._session):
            await self._session.execute(
                insert(OrderCancellationRow).values(**row_values(cancellation))
            )

    async def for_order(self, order_id: UUID) -> Cancellation | None:
        rows = await self._select(OrderCancellationRow.order_id == order_id)
        return rows[0] if rows else None

    async def for_shift(self, shift_id: UUID, page: PageRequest) -> Page[Cancellation]:
        connection = await self._session.connection()
        condition = OrderCancellationRow.shift_id == shift_id
        total = await connection.scalar(
            select(func.count()).select_from(OrderCancellationRow).where(condition)
        )
        items = await self._select(condition, limit=page.limit, offset=page.offset)
        return Page(items=items, total=total or 0, limit=page.limit, offset=page.offset)

    async def totals_by_reason(self, shift_id: UUID) -> list[ReasonTotal]:
        row = OrderCancellationRow
        return await _totals(self._session, row.reason, row.amount_cents, row.shift_id == shift_id)

    async def _select(
        self, condition: ColumnElement[bool], *, limit: int | None = None, offset: int = 0
    ) -> list[Cancellation]:
        connection = await self._session.connection()
        statement = (
            select(*_CANCELLATION)
            .where(condition)
            .order_by(OrderCancellationRow.at, OrderCancellationRow.order_id)
            .offset(offset)
            .limit(limit)
        )
        return [_cancellation_from(row) for row in await connection.execute(statement)]


class SqlRefundLedger:
    """``RefundLedger`` on ``refunds`` and ``refund_lines``."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, refund: Refund) -> None:
        connection = await self._session.connection()
        await connection.execute(insert(RefundRow).values(**row_values(refund, exclude=["lines"])))
        if refund.lines:
            await connection.execute(
                insert(RefundLineRow),
                [
                    {
                        "refund_id": refund.id,
                        "line": line.line,
                        "quantity": line.quantity,
                        "amount_cents": line.amount_cents,
                    }
                    for line in refund.lines
                ],
            )

    async def save_outcome(self, refund: Refund) -> None:
        connection = await self._session.connection()
        await connection.execute(
            update(RefundRow)
            .where(RefundRow.id == refund.id)
            .values(status=refund.status.value, reference=refund.reference, failure=refund.failure)
        )

    async def for_order(self, order_id: UUID) -> list[Refund]:
        return await self._select(RefundRow.order_id == order_id)

    async def for_shift(self, shift_id: UUID) -> list[Refund]:
        return await self._select(RefundRow.shift_id == shift_id)

    async def totals_by_reason(self, shift_id: UUID) -> list[ReasonTotal]:
        given = (RefundRow.shift_id == shift_id) & (
            RefundRow.status == RefundStatus.SUCCEEDED.value
        )
        return await _totals(self._session, RefundRow.reason, RefundRow.amount_cents, given)

    async def _select(self, condition: ColumnElement[bool]) -> list[Refund]:
        connection = await self._session.connection()
        # One round trip: a refund's row repeats once per line, refunds in order.
        result = await connection.execute(
            select(*_REFUND, RefundLineRow.line, RefundLineRow.quantity, RefundLineRow.amount_cents)
            .outerjoin(RefundLineRow, RefundLineRow.refund_id == RefundRow.id)
            .where(condition)
            .order_by(RefundRow.at, RefundRow.id, RefundLineRow.line)
        )
        heads: dict[Any, Sequence[Any]] = {}
        lines: dict[Any, list[RefundLine]] = {}
        for row in result:
            head = heads.setdefault(row[0], row[:_HEAD])
            bucket = lines.setdefault(head[0], [])
            line: Sequence[Any] = row[_HEAD:]
            if line[0] is not None:
                bucket.append(RefundLine(line=line[0], quantity=line[1], amount_cents=line[2]))
        return [_refund_from(head, lines[key]) for key, head in heads.items()]


async def _totals(
    session: AsyncSession,
    reason: InstrumentedAttribute[str],
    amount: InstrumentedAttribute[int],
    condition: ColumnElement[bool],
) -> list[ReasonTotal]:
    """Counted and summed by the database, one row per reason given."""
    connection = await session.connection()
    result = await connection.execute(
        select(reason, func.count(), func.coalesce(func.sum(amount), 0))
        .where(condition)
        .group_by(reason)
    )
    totals = {CancelReason(r): (n, int(cents)) for r, n, cents in result}
    return [
        ReasonTotal(reason=r, count=totals[r][0], amount_cents=totals[r][1])
        for r in CancelReason
        if r in totals
    ]


def _cancellation_from(values: Sequence[Any]) -> Cancellation:
    row = named(_CANCELLATION, values)
    return entity_from(
        Cancellation,
        row,
        order_id=plain_uuid(row.order_id),
        ticket_id=plain_uuid(row.ticket_id),
        shift_id=plain_uuid(row.shift_id),
        reason=CancelReason(row.reason),
        from_state=TicketState(row.from_state),
        actor=actor_from(row.actor_kind, row.actor_id),
    )


def _refund_from(head: Sequence[Any], lines: list[RefundLine]) -> Refund:
    row = named(_REFUND, head)
    return entity_from(
        Refund,
        row,
        id=plain_uuid(row.id),
        order_id=plain_uuid(row.order_id),
        shift_id=plain_uuid(row.shift_id),
        reason=CancelReason(row.reason),
        status=RefundStatus(row.status),
        lines=tuple(lines),
        actor=actor_from(row.actor_kind, row.actor_id),
    )
