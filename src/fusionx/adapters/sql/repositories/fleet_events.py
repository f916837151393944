"""The fleet's event streams on ``fleet_events``, numbered per stream by ``event_streams``.

The same SQL serves PostgreSQL and SQLite: an upsert … RETURNING takes a stream's
numbers (its row lock, held to the end of the transaction, orders the stream's
writers and keeps the numbers gapless; a rollback gives them back), then the hash of
the stream's last row is read and one insert writes the rows, each with the hash of
the one before and its own (``core.model.audit``): the lock means no other writer can
slip a row in between.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import Integer, Select, bindparam, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.mapping import actor_from
from fusionx.adapters.sql.tables import EventStreamRow, FleetEventRow
from fusionx.core.model.audit import (
    GENESIS,
    AuditQuery,
    ChainLink,
    Origin,
    chain_fields,
    record_hash,
)
from fusionx.core.model.fleet_events import (
    FleetEvent,
    FleetEventData,
    FleetEventType,
    NewFleetEvent,
    Stream,
    fleet_data_type,
    subject_of,
)
from fusionx.core.model.paging import Page, PageRequest

_TAKE_SEQS = text(
    "INSERT INTO event_streams (stream, last_seq) VALUES (:stream, :count) "
    "ON CONFLICT (stream) DO UPDATE SET last_seq = event_streams.last_seq + excluded.last_seq "
    "RETURNING last_seq"
).bindparams(bindparam("count", type_=Integer()))
_PREV_HASH = select(FleetEventRow.hash).where(
    FleetEventRow.stream == bindparam("stream"), FleetEventRow.seq == bindparam("seq")
)
_INSERT = insert(FleetEventRow)
_COLUMNS = (
    FleetEventRow.stream,
    FleetEventRow.seq,
    FleetEventRow.at,
    FleetEventRow.actor_kind,
    FleetEventRow.actor_id,
    FleetEventRow.type,
    FleetEventRow.data,
    FleetEventRow.address,
    FleetEventRow.request_id,
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
            prev = GENESIS
            if first[key] > 1:
                # Under the stream's lock: the row before is committed, and final.
                found = await connection.scalar(_PREV_HASH, {"stream": key, "seq": first[key] - 1})
                prev = str(found or "")  # a row gone missing: verify reports the gap
            rows = []
            for seq, event in enumerate(events, start=first[key]):
                row = _row(key, seq, event, prev)
                prev = row["hash"]
                rows.append(row)
            await connection.execute(_INSERT, rows)
        logged = []
        for event in self._pending:
            seq = first[event.stream.key]
            first[event.stream.key] += 1
            logged.append(
                FleetEvent(
                    stream=event.stream,
                    seq=seq,
                    at=event.at,
                    actor=event.actor,
                    data=event.data,
                    origin=event.origin,
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
        return [_event(row) for row in result]

    async def last_seq(self, stream: Stream) -> int:
        connection = await self._session.connection()
        seq = await connection.scalar(_LAST_SEQ, {"stream": stream.key})
        return seq or 0

    async def heads(self) -> dict[str, int]:
        connection = await self._session.connection()
        result = await connection.execute(
            select(EventStreamRow.stream, EventStreamRow.last_seq).order_by(EventStreamRow.stream)
        )
        return {stream: int(last_seq) for stream, last_seq in result}

    async def links(
        self, stream: Stream, *, after_seq: int = 0, limit: int = 500
    ) -> list[ChainLink]:
        query = (
            select(*_COLUMNS, FleetEventRow.prev_hash, FleetEventRow.hash)
            .where(FleetEventRow.stream == stream.key, FleetEventRow.seq > after_seq)
            .order_by(FleetEventRow.seq)
            .limit(limit)
        )
        connection = await self._session.connection()
        result = await connection.execute(query)
        links = []
        for (
            key,
            seq,
            at,
            kind,
            actor_id,
            event_type,
            data,
            address,
            request_id,
            prev,
            digest,
        ) in result:
            fields = chain_fields(
                stream=key,
                seq=seq,
                type=event_type,
                at=at,
                actor_kind=kind,
                actor_id=actor_id,
                address=address,
                request_id=request_id,
                data=data,
                prev_hash=prev,
            )
            links.append(
                ChainLink(seq=seq, prev_hash=prev, hash=digest, recomputed=record_hash(fields))
            )
        return links

    async def search(
        self, query: AuditQuery, streams: Collection[Stream] | None, page: PageRequest
    ) -> Page[FleetEvent]:
        matching = _filtered(select(*_COLUMNS), query, streams)
        counting = _filtered(select(func.count()).select_from(FleetEventRow), query, streams)
        ordered = matching.order_by(
            FleetEventRow.at.desc(), FleetEventRow.stream, FleetEventRow.seq.desc()
        )
        connection = await self._session.connection()
        total = await connection.scalar(counting)
        result = await connection.execute(ordered.limit(page.limit).offset(page.offset))
        return Page(
            items=[_event(row) for row in result],
            total=int(total or 0),
            limit=page.limit,
            offset=page.offset,
        )


def _filtered(
    query: Select[Any], audit: AuditQuery, streams: Collection[Stream] | None
) -> Select[Any]:
    if streams is not None:
        query = query.where(FleetEventRow.stream.in_([s.key for s in streams]))
    if audit.actor_id is not None:
        query = query.where(FleetEventRow.actor_id == audit.actor_id)
    if audit.subject_type is not None:
        query = query.where(FleetEventRow.subject_type == audit.subject_type)
    if audit.subject_id is not None:
        query = query.where(FleetEventRow.subject_id == audit.subject_id)
    if audit.action is not None:
        query = query.where(FleetEventRow.type == audit.action)
    if audit.since is not None:
        query = query.where(FleetEventRow.at >= audit.since)
    if audit.until is not None:
        query = query.where(FleetEventRow.at < audit.until)
    return query


def _row(key: str, seq: int, event: NewFleetEvent, prev: str) -> dict[str, Any]:
    data = msgspec.to_builtins(event.data)
    actor_kind = event.actor.kind.value if event.actor else None
    actor_id = event.actor.id if event.actor else None
    subject = subject_of(event.data)
    fields = chain_fields(
        stream=key,
        seq=seq,
        type=event.type.value,
        at=event.at,
        actor_kind=actor_kind,
        actor_id=actor_id,
        address=event.origin.address,
        request_id=event.origin.request_id,
        data=data,
        prev_hash=prev,
    )
    return {
        "stream": key,
        "seq": seq,
        "type": event.type.value,
        "at": event.at,
        "actor_kind": actor_kind,
        "actor_id": actor_id,
        "data": data,
        "address": event.origin.address,
        "request_id": event.origin.request_id,
        "subject_type": subject.type,
        "subject_id": subject.id,
        "prev_hash": prev,
        "hash": record_hash(fields),
    }


def _link(row: Any) -> ChainLink:
    key, seq, at, kind, actor_id, event_type, data, address, request_id, prev, digest = row
    fields = chain_fields(
        stream=key,
        seq=seq,
        type=event_type,
        at=at,
        actor_kind=kind,
        actor_id=actor_id,
        address=address,
        request_id=request_id,
        data=data,
        prev_hash=prev,
    )
    return ChainLink(seq=seq, prev_hash=prev, hash=digest, recomputed=record_hash(fields))


def _event(row: Any) -> FleetEvent:
    key, seq, at, kind, actor_id, event_type, data, address, request_id = row
    return FleetEvent(
        stream=Stream.parse(key),
        seq=seq,
        at=at,
        actor=None if kind is None else actor_from(kind, actor_id),
        data=decode_fleet_data(event_type, data),
        origin=Origin(address=address, request_id=request_id),
    )


def decode_fleet_data(kind: str, data: Any) -> FleetEventData:
    """A stored ``data`` column as its event type's Struct."""
    return msgspec.convert(data, fleet_data_type(FleetEventType(kind)))
