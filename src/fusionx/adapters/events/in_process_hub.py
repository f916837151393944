"""Fan-out of committed events to the subscribers of this process.

Each subscriber has a bounded buffer. A subscriber that falls behind loses its buffer
and is told so (``next`` returns None) instead of making the publisher wait: it then
catches up from the event log, which is the truth. One slow kitchen tablet on a bad
link can never hold up the others.

An event committed here reaches the hub twice: from the committing unit of work, and
again through PostgreSQL's NOTIFY. Subscribers would skip the repeat, but each skip is
a wake-up of every connection of the shift; the hub passes on only events newer than
the newest it has passed on for that shift. An older one that comes late is no loss:
a subscriber that saw the newer one first has already caught up from the log.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from uuid import UUID

from fusionx.core.model.events import ShiftEvent

DEFAULT_BUFFER = 1024
_GAP = None


class _Feed:
    def __init__(self, capacity: int) -> None:
        self._queue: asyncio.Queue[ShiftEvent | None] = asyncio.Queue(capacity)

    def offer(self, event: ShiftEvent) -> None:
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self.gap()

    def gap(self) -> None:
        """Drop what is buffered and leave a single 'catch up from the log' marker."""
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(_GAP)

    async def next(self) -> ShiftEvent | None:
        return await self._queue.get()


class InProcessEventHub:
    """An ``EventBus`` within one process; the PostgreSQL listener feeds it from others."""

    def __init__(self, buffer: int = DEFAULT_BUFFER) -> None:
        self._buffer = buffer
        self._feeds: defaultdict[UUID, set[_Feed]] = defaultdict(set)
        self._newest: dict[UUID, int] = {}  # per shift with subscribers: the last seq passed on

    @asynccontextmanager
    async def subscribe(self, shift_id: UUID) -> AsyncIterator[_Feed]:
        feed = _Feed(self._buffer)
        self._feeds[shift_id].add(feed)
        try:
            yield feed
        finally:
            feeds = self._feeds[shift_id]
            feeds.discard(feed)
            if not feeds:
                del self._feeds[shift_id]
                self._newest.pop(shift_id, None)

    async def publish(self, events: Sequence[ShiftEvent]) -> None:
        for event in events:
            feeds = self._feeds.get(event.shift_id)
            if not feeds or event.seq <= self._newest.get(event.shift_id, 0):
                continue
            self._newest[event.shift_id] = event.seq
            for feed in feeds:
                feed.offer(event)

    def invalidate(self, shift_id: UUID | None = None) -> None:
        """Tell subscribers (of one shift, or all) that they may have missed events."""
        shifts = [shift_id] if shift_id is not None else list(self._feeds)
        for shift in shifts:
            for feed in self._feeds.get(shift, ()):
                feed.gap()

    def subscriber_count(self, shift_id: UUID) -> int:
        return len(self._feeds.get(shift_id, ()))
