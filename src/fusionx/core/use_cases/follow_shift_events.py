from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import UUID

from fusionx.core.errors import InvalidInput
from fusionx.core.model.events import ShiftEvent
from fusionx.core.model.principals import Principal
from fusionx.core.use_cases.shift_scope import shift_in_scope
from fusionx.ports.event_bus import EventBus, EventFeed
from fusionx.ports.unit_of_work import UnitOfWorkFactory

REPLAY_PAGE = 500


class FollowShiftEvents:
    """A shift's events for one client: what it missed since ``last_seq``, then live.

    Rules:
    - staff or devices of the shift's truck only (others: 404);
    - every event exactly once, in order, with no gap, across reconnects: the client
      says the last number it holds and gets everything after it;
    - live delivery is only a hint: whenever the bus says events may have been missed,
      or an event arrives ahead of the next number, the gap is filled from the log;
      events already sent are skipped.
    """

    def __init__(self, uow: UnitOfWorkFactory, bus: EventBus) -> None:
        self._uow = uow
        self._bus = bus

    async def authorize(self, principal: Principal, shift_id: UUID) -> None:
        async with self._uow() as uow:
            await shift_in_scope(uow, principal, shift_id)

    async def stream(
        self, principal: Principal, shift_id: UUID, last_seq: int = 0
    ) -> AsyncIterator[ShiftEvent]:
        if last_seq < 0:
            raise InvalidInput("last_seq", "must not be negative")
        await self.authorize(principal, shift_id)
        # Subscribe before reading the log, so nothing committed in between is lost.
        async with self._bus.subscribe(shift_id) as feed:
            sent = last_seq
            async for event in self._catch_up(shift_id, sent):
                sent = event.seq
                yield event
            async for event in self._live(feed, shift_id, sent):
                yield event

    async def _live(self, feed: EventFeed, shift_id: UUID, sent: int) -> AsyncIterator[ShiftEvent]:
        while True:
            event = await feed.next()
            if event is not None and event.seq <= sent:
                continue  # already delivered (replayed, or a repeat from another path)
            if event is not None and event.seq == sent + 1:
                sent = event.seq
                yield event
                continue
            # A gap, or the bus admits it may have dropped some: the log knows.
            async for missed in self._catch_up(shift_id, sent):
                sent = missed.seq
                yield missed

    async def _catch_up(self, shift_id: UUID, after: int) -> AsyncIterator[ShiftEvent]:
        while True:
            async with self._uow() as uow:
                page = await uow.events.since(shift_id, after, REPLAY_PAGE)
            for event in page:
                yield event
            if len(page) < REPLAY_PAGE:
                return
            after = page[-1].seq
