"""The fleet's event streams on ``fleet_events``, numbered per stream by ``event_streams``.

The same SQL serves PostgreSQL and SQLite: an upsert … RETURNING takes a stream's
numbers (its row lock, held to the end of the transaction, orders the stream's
writers and keeps the numbers gapless; a rollback gives them back), then one insert
writes the rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import Integer, bindparam, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.mapping import actor_from
from fusionx.adapters.sql.tables import EventStreamRow, FleetEventRow
from fusionx.core.model.fleet_events import (
    FleetEvent,
    FleetEventData,
    FleetEventType,
    NewFleetEvent,
    Stream,
    fleet_data_type,
)

_TAKE_SEQS = text(
    "INSERT INTO event_streams (stream, last_seq) VALUES (:stream, :count) "
    "ON CONFLICT (stream) DO UPDATE SET last_seq = event_streams.last_seq + excluded.last_seq "
    "RETURNING last_seq"
).bindparams(bindparam("count", type_=Integer()))
_INSERT = insert(FleetEventRow)
_COLUMNS = (
    FleetEventRow.seq,
    FleetEventRow.at,
    FleetEventRow.actor_kind,
    FleetEventRow.actor_id,
    FleetEventRow.type,
    FleetEventRow.data,
)
_LAST_SEQ = select(EventStreamRow.last_seq).where(EventStreamRow.stream == bindparam("stream"))


class SqlFleetEventLog:
    """``FleetEventLog``: ``append`` adds to the unit's ``pending`` list; the unit of work
    calls ``write_pending`` as it commits, stream by stream in key order, so two units
    writing to the same streams lock them in the same order."""

    def __init__(self, session: AsyncSession, pending: list[NewFleetEvent]) -> None:
        self._session = session
        self._pending = pending

    async def append(self, event: NewFleetEvent) -> None:
        self._pending.append(event)

    async def write_pending(self) -> list[FleetEvent]:
        if not self._pending:
            return []
        by_stream: dict[str, list[NewFleetEvent]] = {}
        for event in self._pending:
            by_stream.setdefault(event.stream.key, []).append(event)
        connection = await self._session.connection()
        first: dict[str, int] = {}
        for key in sorted(by_stream):
            events = by_stream[key]
            last = await connection.scalar(_TAKE_SEQS, {"stream": key, "count": len(events)})
            first[key] = int(last) - len(events) + 1
            await connection.execute(
                _INSERT,
                [
                    {
                        "stream": key,
                        "seq": seq,
                        "type": event.type.value,
                        "at": event.at,
                        "actor_kind": event.actor.kind.value if event.actor else None,
                        "actor_id": event.actor.id if event.actor else None,
                        "data": event.data,
                    }
                    for seq, event in enumerate(events, start=first[key])
                ],
            )
        logged = []
        for event in self._pending:
            seq = first[event.stream.key]
            first[event.stream.key] += 1
            logged.append(
                FleetEvent(
                    stream=event.stream, seq=seq, at=event.at, actor=event.actor, data=event.data
                )
            )
        self._pending.clear()
        return logged

    async def read(
        self,
        stream: Stream,
        *,
        after_seq: int = 0,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
    ) -> list[FleetEvent]:
        query = select(*_COLUMNS).where(
            FleetEventRow.stream == stream.key, FleetEventRow.seq > after_seq
        )
        if since is not None:
            query = query.where(FleetEventRow.at >= since)
        if until is not None:
            query = query.where(FleetEventRow.at < until)
        connection = await self._session.connection()
        result = await connection.execute(query.order_by(FleetEventRow.seq).limit(limit))
        return [
            FleetEvent(
                stream=stream,
                seq=seq,
                at=at,
                actor=None if kind is None else actor_from(kind, actor_id),
                data=decode_fleet_data(event_type, data),
            )
            for seq, at, kind, actor_id, event_type, data in result
        ]

    async def last_seq(self, stream: Stream) -> int:
        connection = await self._session.connection()
        seq = await connection.scalar(_LAST_SEQ, {"stream": stream.key})
        return seq or 0


def decode_fleet_data(kind: str, data: Any) -> FleetEventData:
    """A stored ``data`` column as its event type's Struct."""
    return msgspec.convert(data, fleet_data_type(FleetEventType(kind)))
