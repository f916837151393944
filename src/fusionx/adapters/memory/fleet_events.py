"""The fleet's event streams in memory: same contract as ``SqlFleetEventLog``."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import msgspec

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.audit import GENESIS, AuditQuery, ChainLink, chain_fields, record_hash
from fusionx.core.model.fleet_events import FleetEvent, NewFleetEvent, Stream, subject_of
from fusionx.core.model.paging import Page, PageRequest


class InMemoryFleetEventLog:
    """Numbers ``pending`` events only when the unit commits, like the SQL log, and
    chains each to the one before by hash."""

    def __init__(self, tables: InMemoryTables, pending: list[NewFleetEvent]) -> None:
        self._t = tables
        self._pending = pending

    async def append(self, event: NewFleetEvent) -> None:
        self._pending.append(event)

    def write_pending(self) -> list[FleetEvent]:
        logged = []
        for event in self._pending:
            key = event.stream.key
            log, chain = self._t.fleet_events.get(key, ()), self._t.fleet_chain.get(key, ())
            numbered = FleetEvent(
                stream=event.stream,
                seq=len(log) + 1,
                at=event.at,
                actor=event.actor,
                data=event.data,
                origin=event.origin,
            )
            prev = chain[-1][1] if chain else GENESIS
            self._t.fleet_events[key] = (*log, numbered)
            self._t.fleet_chain[key] = (*chain, (prev, _hash(numbered, prev)))
            logged.append(numbered)
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
        # seq n sits at index n - 1: the log has no gaps.
        after = self._t.fleet_events.get(stream.key, ())[max(after_seq, 0) :]
        found = [
            event
            for event in after
            if (since is None or event.at >= since) and (until is None or event.at < until)
        ]
        return found[:limit]

    async def last_seq(self, stream: Stream) -> int:
        return len(self._t.fleet_events.get(stream.key, ()))

    async def heads(self) -> dict[str, int]:
        return {key: len(log) for key, log in sorted(self._t.fleet_events.items())}

    async def links(
        self, stream: Stream, *, after_seq: int = 0, limit: int = 500
    ) -> list[ChainLink]:
        log = self._t.fleet_events.get(stream.key, ())
        chain = self._t.fleet_chain.get(stream.key, ())
        links = [
            ChainLink(seq=event.seq, prev_hash=prev, hash=digest, recomputed=_hash(event, prev))
            for event, (prev, digest) in zip(log, chain, strict=True)
            if event.seq > after_seq
        ]
        return links[:limit]

    async def search(
        self, query: AuditQuery, streams: Collection[Stream] | None, page: PageRequest
    ) -> Page[FleetEvent]:
        keys = None if streams is None else {stream.key for stream in streams}
        found = [
            event
            for key, log in self._t.fleet_events.items()
            if keys is None or key in keys
            for event in log
            if _matches(event, query)
        ]
        found.sort(key=lambda e: (-e.at.timestamp(), e.stream.key, -e.seq))
        return Page.of_list(found, page)


def _matches(event: FleetEvent, query: AuditQuery) -> bool:
    subject = subject_of(event.data)
    return (
        (query.actor_id is None or (event.actor is not None and event.actor.id == query.actor_id))
        and (query.subject_type is None or subject.type == query.subject_type)
        and (query.subject_id is None or subject.id == query.subject_id)
        and (query.action is None or event.type.value == query.action)
        and (query.since is None or event.at >= query.since)
        and (query.until is None or event.at < query.until)
    )


def _hash(event: FleetEvent, prev: str) -> str:
    fields = chain_fields(
        stream=event.stream.key,
        seq=event.seq,
        type=event.type.value,
        at=event.at,
        actor_kind=event.actor.kind.value if event.actor else None,
        actor_id=event.actor.id if event.actor else None,
        address=event.origin.address,
        request_id=event.origin.request_id,
        data=msgspec.to_builtins(event.data),
        prev_hash=prev,
    )
    return record_hash(fields)
