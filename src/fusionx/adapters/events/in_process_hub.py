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

Streams also watch the credential they were opened with: a revocation committed here,
or heard through NOTIFY, wakes its watchers, which check the credential again. The hub
remembers the latest revocations, so that a stream which authenticated just before one
and starts watching just after it is woken all the same.

A shift's subscribers are woken a batch per turn of the event loop, not all at once:
each wakes a connection that sends the event, and 500 of them in one turn would hold
up everything else in the worker for that turn: among it, the database replies of an
order that holds the shift's rows while other orders wait on its locks.

A fleet subscriber (the owners' live view) hears every shift's events, repeats
included (it re-reads what an event touched, so a repeat costs a read, not a mistake),
and a gap whenever any shift's subscribers get one.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Collection, Sequence
from contextlib import asynccontextmanager
from uuid import UUID

from fusionx.core.model.events import ShiftEvent

DEFAULT_BUFFER = 1024
# Subscribers woken per turn of the event loop: a few milliseconds of sends, after which
# the loop runs whatever else is ready (see the module's docstring).
WAKE_BATCH = 50
# Revoked credentials remembered for watchers that come late: far more than are revoked
# in the moment between a stream's authentication and its first watch.
RECENT_REVOCATIONS = 4096
_GAP = None


class _Feed:
    """One subscriber's buffer: a deque and the one waiter there can be (its reader).

    An ``asyncio.Queue`` does the same with bookkeeping no subscriber uses (task counts, a
    list of getters and putters); ``offer`` runs once per event for every connection of
    the shift, ``next`` as often.
    """

    __slots__ = ("_buffer", "_capacity", "_waiter", "due")

    def __init__(self, capacity: int) -> None:
        self._buffer: deque[ShiftEvent | None] = deque()
        self._capacity = capacity
        self._waiter: asyncio.Future[None] | None = None
        self.due = False  # in the hub's queue of feeds to wake

    def offer(self, event: ShiftEvent) -> None:
        """Buffer ``event``; the hub wakes the reader (``wake``) when its turn comes."""
        if len(self._buffer) >= self._capacity:
            self.gap()
            return
        self._buffer.append(event)

    def gap(self) -> None:
        """Drop what is buffered and leave a single 'catch up from the log' marker."""
        self._buffer.clear()
        self._buffer.append(_GAP)
        self.wake()

    def wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def next(self) -> ShiftEvent | None:
        while not self._buffer:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._buffer.popleft()


class _Watch:
    def __init__(self) -> None:
        self._rung = asyncio.Event()

    def ring(self) -> None:
        self._rung.set()

    async def next(self) -> None:
        await self._rung.wait()
        self._rung.clear()


class InProcessEventHub:
    """An ``EventBus`` within one process; the PostgreSQL listener feeds it from others."""

    def __init__(self, buffer: int = DEFAULT_BUFFER) -> None:
        self._buffer = buffer
        self._feeds: defaultdict[UUID, set[_Feed]] = defaultdict(set)
        self._newest: dict[UUID, int] = {}  # per shift with subscribers: the last seq passed on
        self._fleet_feeds: set[_Feed] = set()
        self._watches: defaultdict[UUID, set[_Watch]] = defaultdict(set)  # per credential
        self._recently_revoked: dict[UUID, None] = {}  # oldest first
        self._to_wake: deque[_Feed] = deque()

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

    @asynccontextmanager
    async def subscribe_fleet(self) -> AsyncIterator[_Feed]:
        feed = _Feed(self._buffer)
        self._fleet_feeds.add(feed)
        try:
            yield feed
        finally:
            self._fleet_feeds.discard(feed)

    async def publish(self, events: Sequence[ShiftEvent]) -> None:
        for event in events:
            for feed in self._fleet_feeds:
                feed.offer(event)
            self._wake_soon(self._fleet_feeds)
            feeds = self._feeds.get(event.shift_id)
            if not feeds or event.seq <= self._newest.get(event.shift_id, 0):
                continue
            self._newest[event.shift_id] = event.seq
            for feed in feeds:
                feed.offer(event)
            self._wake_soon(feeds)

    def _wake_soon(self, feeds: Collection[_Feed]) -> None:
        """Queue ``feeds`` to be woken, a batch now and a batch each turn after."""
        if not feeds:
            return
        to_wake, idle = self._to_wake, not self._to_wake
        for feed in feeds:
            if not feed.due:
                feed.due = True
                to_wake.append(feed)
        if idle:
            self._wake_batch()

    def _wake_batch(self) -> None:
        to_wake = self._to_wake
        for _ in range(min(WAKE_BATCH, len(to_wake))):
            feed = to_wake.popleft()
            feed.due = False
            feed.wake()
        if to_wake:
            # call_soon runs it on the loop's next turn, after the I/O that is ready by then.
            asyncio.get_running_loop().call_soon(self._wake_batch)

    def invalidate(self, shift_id: UUID | None = None) -> None:
        """Tell subscribers (of one shift, or all) that they may have missed events; for
        all, also every watcher, which may have missed a revocation."""
        shifts = [shift_id] if shift_id is not None else list(self._feeds)
        for feed in self._fleet_feeds:
            feed.gap()
        for shift in shifts:
            for feed in self._feeds.get(shift, ()):
                feed.gap()
        if shift_id is None:
            for watches in self._watches.values():
                for watch in watches:
                    watch.ring()

    @asynccontextmanager
    async def watch_credential(self, token_id: UUID) -> AsyncIterator[_Watch]:
        watch = _Watch()
        self._watches[token_id].add(watch)
        if token_id in self._recently_revoked:
            watch.ring()
        try:
            yield watch
        finally:
            watches = self._watches[token_id]
            watches.discard(watch)
            if not watches:
                del self._watches[token_id]

    async def revoked(self, token_ids: Collection[UUID]) -> None:
        for token_id in token_ids:
            self._recently_revoked[token_id] = None
            for watch in self._watches.get(token_id, ()):
                watch.ring()
        while len(self._recently_revoked) > RECENT_REVOCATIONS:
            del self._recently_revoked[next(iter(self._recently_revoked))]

    def subscriber_count(self, shift_id: UUID) -> int:
        return len(self._feeds.get(shift_id, ()))
