from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Awaitable, Callable, Collection, Iterable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from fusionx.core.model.events import EventType, ShiftEvent, ShiftOpened
from fusionx.core.model.fleet_live import (
    FleetLive,
    FleetTotals,
    LiveChange,
    LiveMessage,
    LiveSnapshot,
    TruckLive,
    version_of,
)
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import business_scope
from fusionx.core.rules.fleet_live import changes_between
from fusionx.core.use_cases.steps.fleet_live import live_lines
from fusionx.ports.clock import Clock
from fusionx.ports.event_bus import EventBus, EventFeed
from fusionx.ports.unit_of_work import UnitOfWorkFactory

# The shift events that change a truck's line: its shift's state, its orders and kitchen
# queue (and so its wait), its devices. Others (stock, menu, payments…) do not.
MOVES_THE_VIEW = frozenset(
    {
        EventType.SHIFT_OPENED,
        EventType.SHIFT_PAUSED,
        EventType.SHIFT_RESUMED,
        EventType.SHIFT_CLOSED,
        EventType.ORDER_CREATED,
        EventType.ORDER_CANCELLED,
        EventType.TICKET_CHANGED,
        EventType.DEVICE_STALE,
        EventType.DEVICE_BACK_ONLINE,
    }
)
# How often a stream reads its whole view again (and checks its reader again): what no
# event says, the hour's window sliding and a parked truck's tablet going quiet.
REFRESH = timedelta(seconds=15)
# After an event, how long to wait for the others of the same moment (a commit publishes
# its events together), so that one re-read answers them all.
GATHER_SECONDS = 0.01
# At most this many events are answered by one re-read; the rest by the next.
GATHER_MAX = 500

# Gives the reader's principal as it is now: re-authenticates the stream's credential,
# raising what authentication raises once it was revoked or has expired.
Recheck = Callable[[], Awaitable[Principal]]


class FollowFleetLive:
    """The live fleet view, pushed: the view, then a message per change of a truck.

    Rules:
    - as ``ViewFleetLive`` for who sees what (403 before anything is sent); a manager's
      stream reads their own trucks only, so another truck's change never reaches it;
    - first the whole view, unless the reader says it holds the current one (the
      ``version`` it last got); then, for each change of a truck in view, one typed
      message with the truck's line as it is now and the fleet's totals after it;
    - changes come from the shift events every process hears on the bus (its orders,
      ticket moves, shift states, devices' staleness): each re-reads the lines of the
      trucks it touched, from the database, the truth, so a repeated or late event is
      harmless; a gap on the bus re-reads the whole view;
    - every ``refresh`` the whole view is read again, for what no event says: orders
      leaving the hour's window, and devices going quiet (the sweep logs ``device.stale``
      on an open shift only; a parked truck's tablet has no shift to log it on). The
      same tick checks the reader's credential and role again, as does a revocation
      heard on the bus: a refused reader ends the stream, a manager taken off a truck
      sees it removed.

    It only reads: give it reading units of work.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        bus: EventBus,
        clock: Clock,
        stale_after: timedelta,
        refresh: timedelta = REFRESH,
    ) -> None:
        self._uow = uow
        self._bus = bus
        self._clock = clock
        self._stale_after = stale_after
        self._refresh = refresh.total_seconds()

    def open(
        self, principal: Principal, recheck: Recheck, held_version: str | None = None
    ) -> AsyncGenerator[LiveMessage, None]:
        """Check the reader now (403 before any message), then hand back the stream."""
        business_scope(principal)
        reads = _Reads(self._uow, self._clock, self._stale_after)
        stream = _Stream(reads, self._bus, self._refresh, principal, recheck)
        return stream.messages(held_version)


class _Reads:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, stale_after: timedelta) -> None:
        self._uow = uow
        self._clock = clock
        self._stale_after = stale_after

    async def lines(self, trucks: Collection[UUID] | None) -> tuple[datetime, list[TruckLive]]:
        at = self._clock.now()
        async with self._uow() as uow:
            return at, await live_lines(uow, trucks, at, self._stale_after)

    async def truck_of(self, shift_id: UUID) -> UUID | None:
        async with self._uow() as uow:
            shift = await uow.shifts.get(shift_id)
        return None if shift is None else shift.truck_id


class _Stream:
    """One reader's stream: the lines it holds, and the shifts it knows the trucks of."""

    def __init__(
        self, reads: _Reads, bus: EventBus, refresh: float, principal: Principal, recheck: Recheck
    ) -> None:
        self._reads = reads
        self._bus = bus
        self._refresh = refresh
        self._principal = principal
        self._recheck = recheck
        self._scope = business_scope(principal)
        self._lines: dict[UUID, TruckLive] = {}
        self._trucks_of: dict[UUID, UUID] = {}  # shift -> its truck
        self._heard: dict[UUID, int] = {}  # shift -> the newest seq answered

    async def messages(self, held_version: str | None) -> AsyncGenerator[LiveMessage, None]:
        bus, loop = self._bus, asyncio.get_running_loop()
        # Subscribe before the first read, so nothing committed in between is lost.
        async with (
            bus.subscribe_fleet() as feed,
            bus.watch_credential(self._principal.token_id) as watch,
        ):
            at, lines = await self._reads.lines(self._scope)
            self._hold(lines)
            view = FleetLive.of(at, tuple(lines))
            if view.version != held_version:
                yield LiveSnapshot(view=view)
            next_full = loop.time() + self._refresh
            heard: asyncio.Future[ShiftEvent | None] = asyncio.ensure_future(feed.next())
            rung: asyncio.Future[None] = asyncio.ensure_future(watch.next())
            try:
                while True:
                    timeout = max(next_full - loop.time(), 0)
                    waits: set[asyncio.Future[Any]] = {heard, rung}
                    done, _ = await asyncio.wait(
                        waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
                    )
                    whole = loop.time() >= next_full or rung in done
                    touched: set[UUID] = set()
                    if rung in done:
                        rung = asyncio.ensure_future(watch.next())
                    if heard in done:
                        events, heard = await _gathered(heard, feed)
                        whole = whole or None in events
                        touched = await self._touched(e for e in events if e is not None)
                    if whole:
                        await self._check_reader()
                        next_full = loop.time() + self._refresh
                        async for change in self._reread(None):
                            yield change
                    elif touched:
                        async for change in self._reread(touched):
                            yield change
            finally:
                for pending in (heard, rung):
                    pending.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await pending

    async def _check_reader(self) -> None:
        self._principal = await self._recheck()
        self._scope = business_scope(self._principal)

    async def _touched(self, events: Iterable[ShiftEvent]) -> set[UUID]:
        """The trucks in view whose lines these events may have changed."""
        trucks: set[UUID] = set()
        for event in events:
            if event.type not in MOVES_THE_VIEW or event.seq <= self._heard.get(event.shift_id, 0):
                continue
            self._heard[event.shift_id] = event.seq
            if isinstance(event.data, ShiftOpened):
                self._trucks_of[event.shift_id] = event.data.shift.truck_id
            truck_id = self._trucks_of.get(event.shift_id)
            if truck_id is None:
                truck_id = await self._reads.truck_of(event.shift_id)
                if truck_id is None:  # pragma: no cover - a shift is never deleted
                    continue
                self._trucks_of[event.shift_id] = truck_id
            if self._scope is None or truck_id in self._scope:
                trucks.add(truck_id)
        return trucks

    async def _reread(self, trucks: set[UUID] | None) -> AsyncGenerator[LiveChange, None]:
        """Read the lines of ``trucks`` (None: the whole view) again, and say what changed."""
        asked = self._scope if trucks is None else trucks
        at, lines = await self._reads.lines(asked)
        fresh = {line.truck_id: line for line in lines}
        concerned = (set(self._lines) | set(fresh)) if trucks is None else trucks
        found: list[tuple[Any, ...]] = []
        names = {t: line.truck_name for t, line in (self._lines | fresh).items()}
        for truck_id in sorted(concerned, key=lambda t: (names.get(t, ""), t)):
            before, after = self._lines.get(truck_id), fresh.get(truck_id)
            found += [(truck_id, after, kind, d) for kind, d in changes_between(before, after)]
            if after is None:
                self._lines.pop(truck_id, None)
            else:
                self._lines[truck_id] = after
        self._hold(self._lines.values())
        if not found:
            return
        held = tuple(
            sorted(self._lines.values(), key=lambda line: (line.truck_name, line.truck_id))
        )
        totals, version = FleetTotals.of(held), version_of(held)
        for truck_id, after, kind, device in found:
            yield LiveChange(
                at=at,
                kind=kind,
                truck_id=truck_id,
                truck=after,
                device=device,
                totals=totals,
                version=version,
            )

    def _hold(self, lines: Iterable[TruckLive]) -> None:
        held = list(lines)
        self._lines = {line.truck_id: line for line in held}
        for line in held:
            if line.shift is not None:
                self._trucks_of[line.shift.id] = line.truck_id


async def _gathered(
    first: asyncio.Future[ShiftEvent | None], feed: EventFeed
) -> tuple[list[ShiftEvent | None], asyncio.Future[ShiftEvent | None]]:
    """The event heard, and those of the same moment; and the wait for the next one."""
    events = [first.result()]
    while len(events) < GATHER_MAX:
        following = asyncio.ensure_future(feed.next())
        done, _ = await asyncio.wait({following}, timeout=GATHER_SECONDS)
        if not done:
            return events, following
        events.append(following.result())
    return events, asyncio.ensure_future(feed.next())
