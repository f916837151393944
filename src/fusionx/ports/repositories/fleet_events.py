from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from fusionx.core.model.audit import AuditQuery, ChainLink
from fusionx.core.model.fleet_events import FleetEvent, NewFleetEvent, Stream
from fusionx.core.model.paging import Page, PageRequest


class FleetEventLog(Protocol):
    """The fleet's event streams (``Stream.fleet()``, ``Stream.truck(id)``), written in
    the same unit of work as the change each event records.

    Events are numbered 1, 2, 3… per stream, in the order appended, with no gap: an
    appended event is numbered and written when its unit of work commits, so a unit
    that rolls back takes no number, and units writing to one stream are numbered in
    the order they commit. Until then ``read`` and ``last_seq`` do not show it. The log
    is append-only: nothing here changes or removes an event.

    It is the audit trail: each event keeps its ``origin``, and is stored with the hash
    of the event before it on its stream (``GENESIS`` for the first) and its own hash
    over both (``core.model.audit.record_hash`` of ``chain_fields``), written with it.
    """

    async def append(self, event: NewFleetEvent) -> None: ...

    async def read(
        self,
        stream: Stream,
        *,
        after_seq: int = 0,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
    ) -> list[FleetEvent]:
        """A page of the stream: events with ``seq > after_seq`` (pass the last seq of
        the previous page), at or after ``since`` and before ``until`` when given, in
        seq order, at most ``limit``."""
        ...

    async def last_seq(self, stream: Stream) -> int:
        """0 for a stream with no event."""
        ...

    async def heads(self) -> dict[str, int]:
        """Every stream's key and last seq, as its counter says (whatever its rows do)."""
        ...

    async def links(
        self, stream: Stream, *, after_seq: int = 0, limit: int = 500
    ) -> list[ChainLink]:
        """A page of the stream's chain as stored, in seq order, each link with the hash
        its stored content has now: for ``fusionx audit verify``."""
        ...

    async def search(
        self, query: AuditQuery, streams: Collection[Stream] | None, page: PageRequest
    ) -> Page[FleetEvent]:
        """Events of ``streams`` (all when None) matching ``query``, newest first (by
        ``at``, then stream key, then seq, last first)."""
        ...
