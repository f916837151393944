"""The fleet's event streams in memory: same contract as ``SqlFleetEventLog``."""

from __future__ import annotations

from datetime import datetime

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.fleet_events import FleetEvent, NewFleetEvent, Stream


class InMemoryFleetEventLog:
    """Numbers ``pending`` events only when the unit commits, like the SQL log."""

    def __init__(self, tables: InMemoryTables, pending: list[NewFleetEvent]) -> None:
        self._t = tables
        self._pending = pending

    async def append(self, event: NewFleetEvent) -> None:
        self._pending.append(event)

    def write_pending(self) -> list[FleetEvent]:
        logged = []
        for event in self._pending:
            log = self._t.fleet_events.get(event.stream.key, ())
            numbered = FleetEvent(
                stream=event.stream,
                seq=len(log) + 1,
                at=event.at,
                actor=event.actor,
                data=event.data,
            )
            self._t.fleet_events[event.stream.key] = (*log, numbered)
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
