"""The shift event log on ``shift_events``, one class per dialect: PostgreSQL numbers,
writes and notifies a shift's events in one statement; SQLite takes two."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import Integer, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from fusionx.adapters.events import pg_payload
from fusionx.adapters.sql.repositories.orders import (
    PendingOrder,
    PendingOrders,
    add_pending,
    order_with_ticket_ctes,
)
from fusionx.adapters.sql.tables import ShiftEventRow, ShiftRow
from fusionx.adapters.sql.unit_statements import driver_fetch
from fusionx.core.model.events import (
    EventType,
    NewEvent,
    ShiftEvent,
    ShiftEventData,
    data_type,
)

# The shift row's counter numbers the events: one update takes a number for each of a
# unit's events on the shift. Its row lock, held until the unit of work ends, orders
# units writing to one shift and keeps the numbers gapless: a rollback undoes the
# increment, so the next unit takes the same numbers again.
_TAKE_SEQS = (
    update(ShiftRow)
    .where(ShiftRow.id == bindparam("shift"))
    .values(last_seq=ShiftRow.last_seq + bindparam("count", type_=Integer()))
    .returning(ShiftRow.last_seq)
)
_INSERT = insert(ShiftEventRow)
# PostgreSQL: numbers, rows and notifications in one round trip. A notification is
# delivered only when its transaction commits, so a listener never hears of an event
# before its data is visible, and never of a rolled-back one. Raw SQL, asyncpg's
# paramstyle: nothing for SQLAlchemy to compile. The payloads come encoded around
# their seq (pg_payload), which the statement writes in.
_PG_LOG = """
WITH counter AS (
    UPDATE shifts SET last_seq = last_seq + cardinality($2::text[])
    WHERE id = $1::uuid
    RETURNING last_seq - cardinality($2::text[]) AS base
), numbered AS (
    SELECT counter.base + e.n AS seq, e.type, e.at, e.data, e.head, e.tail
    FROM counter,
        unnest($2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[])
        WITH ORDINALITY AS e(type, at, data, head, tail, n)
), logged AS (
    INSERT INTO shift_events (shift_id, seq, type, at, data)
    SELECT $1::uuid, seq, type, at, data::jsonb FROM numbered
)
SELECT seq, pg_notify($7, head || seq || tail) FROM numbered ORDER BY seq
"""
# The same, with an order and its ticket the unit added to the shift (``PendingOrders``):
# an order's writes and its events in one round trip.
_PG_LOG_WITH_ORDER = f"WITH {order_with_ticket_ctes(after=7)}, " + _PG_LOG.strip().removeprefix(
    "WITH "
)
_SINCE = (
    select(ShiftEventRow.seq, ShiftEventRow.type, ShiftEventRow.at, ShiftEventRow.data)
    .where(ShiftEventRow.shift_id == bindparam("shift"), ShiftEventRow.seq > bindparam("after"))
    .order_by(ShiftEventRow.seq)
    .limit(bindparam("limit", type_=Integer()))
)
_DURING = (
    select(ShiftEventRow.seq, ShiftEventRow.type, ShiftEventRow.at, ShiftEventRow.data)
    .where(
        ShiftEventRow.shift_id == bindparam("shift"),
        ShiftEventRow.seq > bindparam("after"),
        ShiftEventRow.at >= bindparam("since"),
        ShiftEventRow.at < bindparam("until"),
    )
    .order_by(ShiftEventRow.seq)
    .limit(bindparam("limit", type_=Integer()))
)
_LAST_SEQ = select(ShiftRow.last_seq).where(ShiftRow.id == bindparam("shift"))
_json = msgspec.json.Encoder()


class SqlEventLog:
    """``EventLog`` on ``shift_events``, numbered by ``shifts.last_seq``; a subclass per
    dialect writes the events.

    ``append`` only adds to ``pending``, the unit of work's list: ``write_pending``, at
    commit, numbers and writes them, shift by shift: one statement per shift on PostgreSQL
    (which also NOTIFYs other processes), two on SQLite. The shift row is therefore locked only from
    the commit on, after whatever else the unit locked (stock rows first, as the lock
    order wants: core/use_cases/steps/order_admission.py).
    """

    def __init__(
        self,
        session: AsyncSession,
        pending: list[NewEvent],
        orders: PendingOrders | None = None,  # noqa: ARG002 - PostgreSQL's log's
    ) -> None:
        # ``orders``: the unit's pending orders, which PostgreSQL's log writes with their
        # shift's events; SQLite's orders are written at once.
        self._session = session
        self._pending = pending

    async def append(self, event: NewEvent) -> None:
        self._pending.append(event)

    async def write_pending(self) -> list[ShiftEvent]:
        """Number and write the pending events, in append order.

        Shifts are taken in id order, so two units logging to the same shifts lock them
        in the same order. ``LookupError`` for an event on a shift that does not exist.
        """
        if not self._pending:
            return []
        by_shift: dict[UUID, list[NewEvent]] = {}
        for event in self._pending:
            by_shift.setdefault(event.shift_id, []).append(event)
        connection = await self._session.connection()
        seqs: dict[UUID, list[int]] = {}
        for shift_id in sorted(by_shift):
            seqs[shift_id] = await self._write(connection, shift_id, by_shift[shift_id])
        taken = {shift_id: iter(numbers) for shift_id, numbers in seqs.items()}
        logged = [_numbered(event, next(taken[event.shift_id])) for event in self._pending]
        self._pending.clear()
        return logged

    async def _write(
        self, connection: AsyncConnection, shift_id: UUID, events: Sequence[NewEvent]
    ) -> list[int]:
        raise NotImplementedError

    async def since(self, shift_id: UUID, after_seq: int, limit: int = 500) -> list[ShiftEvent]:
        connection = await self._session.connection()
        result = await connection.execute(
            _SINCE, {"shift": shift_id, "after": after_seq, "limit": limit}
        )
        return [
            ShiftEvent(shift_id=shift_id, seq=seq, at=at, data=decode_data(kind, data))
            for seq, kind, at, data in result
        ]

    async def during(
        self,
        shift_id: UUID,
        since: datetime,
        until: datetime,
        *,
        after_seq: int = 0,
        limit: int = 100,
    ) -> list[ShiftEvent]:
        connection = await self._session.connection()
        result = await connection.execute(
            _DURING,
            {
                "shift": shift_id,
                "after": after_seq,
                "since": since,
                "until": until,
                "limit": limit,
            },
        )
        return [
            ShiftEvent(shift_id=shift_id, seq=seq, at=at, data=decode_data(kind, data))
            for seq, kind, at, data in result
        ]

    async def last_seq(self, shift_id: UUID) -> int:
        connection = await self._session.connection()
        seq = await connection.scalar(_LAST_SEQ, {"shift": shift_id})
        return seq or 0


class PgEventLog(SqlEventLog):
    """Numbers, rows and NOTIFY in one round trip per shift (``_PG_LOG``), with an order
    the unit added to the shift, if any (``_PG_LOG_WITH_ORDER``)."""

    def __init__(
        self,
        session: AsyncSession,
        pending: list[NewEvent],
        orders: PendingOrders | None = None,
    ) -> None:
        super().__init__(session, pending)
        self._orders: PendingOrders = [] if orders is None else orders

    async def write_pending(self) -> list[ShiftEvent]:
        logged = await super().write_pending()
        # Orders with no event of their shift to go with (none placed so): on their own.
        orders, self._orders[:] = list(self._orders), []
        if orders:
            connection = await self._session.connection()
            for order in orders:
                await add_pending(connection, order.parameters)
        return logged

    def _order_of(self, shift_id: UUID) -> PendingOrder | None:
        """A pending order of the shift, taken off the list, to go with its events."""
        for n, order in enumerate(self._orders):
            if order.shift_id == shift_id:
                return self._orders.pop(n)
        return None

    async def _write(
        self, connection: AsyncConnection, shift_id: UUID, events: Sequence[NewEvent]
    ) -> list[int]:
        order = self._order_of(shift_id)
        halves = [pg_payload.encode_around_seq(event) for event in events]
        parameters = (
            shift_id,
            [event.type.value for event in events],
            [event.at for event in events],
            [_json.encode(event.data).decode() for event in events],
            [head for head, _ in halves],
            [tail for _, tail in halves],
            pg_payload.CHANNEL,
        )
        if order is None:
            rows = await driver_fetch(connection, _PG_LOG, parameters)
        else:
            rows = await driver_fetch(
                connection, _PG_LOG_WITH_ORDER, (*parameters, *order.parameters)
            )
        seqs = [row[0] for row in rows]
        if not seqs:
            raise LookupError(f"no shift {shift_id}")
        return seqs


class SqliteEventLog(SqlEventLog):
    """Takes the numbers, then inserts the rows: SQLite has one writer at a time."""

    async def _write(
        self, connection: AsyncConnection, shift_id: UUID, events: Sequence[NewEvent]
    ) -> list[int]:
        last = await connection.scalar(_TAKE_SEQS, {"shift": shift_id, "count": len(events)})
        if last is None:
            raise LookupError(f"no shift {shift_id}")
        first = last - len(events) + 1
        await connection.execute(
            _INSERT,
            [
                {
                    "shift_id": shift_id,
                    "seq": seq,
                    "type": event.type.value,
                    "at": event.at,
                    "data": event.data,
                }
                for seq, event in enumerate(events, start=first)
            ],
        )
        return list(range(first, last + 1))


def decode_data(kind: str, data: Any) -> ShiftEventData:
    """A stored ``data`` column as its event type's Struct: rows written before the
    tag was stored inside ``data`` are read by the ``type`` column alone."""
    return msgspec.convert(data, data_type(EventType(kind)))


def _numbered(event: NewEvent, seq: int) -> ShiftEvent:
    return ShiftEvent(shift_id=event.shift_id, seq=seq, at=event.at, data=event.data)
