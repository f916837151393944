from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from uuid import UUID

from fusionx.core.errors import Conflict, InvalidInput, NotFound
from fusionx.core.messages import Message
from fusionx.core.model.events import ShiftEvent
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import can_act_on_truck
from fusionx.core.use_cases.steps.shift_scope import shift_in_scope
from fusionx.ports.event_bus import EventBus
from fusionx.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

REPLAY_PAGE = 500


class FollowShiftEvents:
    """A shift's events for one client: what it missed since ``last_seq``, then live.

    Rules:
    - staff or devices of the shift's truck only (others: 404), checked again by
      ``authorize`` as long as the stream lasts; a shift never changes truck, so once
      its truck is known that check needs only the caller's fresh principal;
    - every event exactly once, in order, with no gap, across reconnects: the client
      says the last number it holds and gets everything after it;
    - a last number beyond the log's last event is a conflict: what the client holds
      is not this log's (a database restored from backup, say), and waiting would
      leave it silent until the log caught up, then skip events it never had;
    - live delivery is only a hint: whenever the bus says events may have been missed,
      or an event arrives ahead of the next number, the gap is filled from the log;
      events already sent are skipped.

    It only reads: give it reading units of work (``Adapters.reader``).
    """

    def __init__(self, uow: UnitOfWorkFactory, bus: EventBus) -> None:
        self._uow = uow
        self._bus = bus
        self._trucks: dict[UUID, UUID] = {}  # shift -> its truck, once read

    async def authorize(self, principal: Principal, shift_id: UUID) -> None:
        truck_id = self._trucks.get(shift_id)
        if truck_id is None:
            async with self._uow() as uow:
                await self._check_scope(uow, principal, shift_id)
        elif not can_act_on_truck(principal, truck_id):
            raise NotFound("shift", shift_id)

    def stream(
        self, principal: Principal, shift_id: UUID, last_seq: int = 0
    ) -> AsyncIterator[ShiftEvent]:
        async def check(uow: UnitOfWork) -> None:
            await self._check_scope(uow, principal, shift_id)

        # ``follow``'s own iterator, not one that repeats it: every live event passes
        # through each generator in the chain, on every connection of the shift.
        return self.follow(shift_id, last_seq, check)

    async def follow(
        self, shift_id: UUID, last_seq: int, check: Callable[[UnitOfWork], Awaitable[None]]
    ) -> AsyncIterator[ShiftEvent]:
        """The stream, once ``check`` (run in the unit that reads the log's first page)
        let the caller in: for a stream scoped otherwise than by truck (one order's)."""
        if last_seq < 0:
            raise InvalidInput("last_seq", Message("input.negative"))
        # Subscribe before reading the log, so nothing committed in between is lost.
        async with self._bus.subscribe(shift_id) as feed:
            # The scope check and the first page of the log share one unit of work:
            # a whole fleet of tablets connects at once after a restart.
            async with self._uow() as uow:
                await check(uow)
                page = await uow.events.since(shift_id, last_seq, REPLAY_PAGE)
                if not page and last_seq:
                    await _require_within_log(uow, shift_id, last_seq)
            sent, more = last_seq, len(page) == REPLAY_PAGE
            for event in page:
                sent = event.seq
                yield event
            # The stream lives for hours: it must not keep its replay (up to a page of
            # decoded events, on every connection) while it waits for live ones.
            del page
            if more:
                async for event in self._catch_up(shift_id, sent):
                    sent = event.seq
                    yield event
            # Live, in this generator itself (not one more that it repeats): the loop
            # runs for every event on every connection of the shift.
            next_event = feed.next
            while True:
                live = await next_event()
                if live is not None and live.seq <= sent:
                    continue  # already delivered (replayed, or a repeat from another path)
                if live is not None and live.seq == sent + 1:
                    sent = live.seq
                    yield live
                    continue
                # A gap, or the bus admits it may have dropped some: the log knows.
                async for missed in self._catch_up(shift_id, sent):
                    sent = missed.seq
                    yield missed

    async def _check_scope(self, uow: UnitOfWork, principal: Principal, shift_id: UUID) -> None:
        shift = await shift_in_scope(uow, principal, shift_id)
        self._trucks[shift_id] = shift.truck_id

    async def _catch_up(self, shift_id: UUID, after: int) -> AsyncIterator[ShiftEvent]:
        while True:
            async with self._uow() as uow:
                page = await uow.events.since(shift_id, after, REPLAY_PAGE)
            for event in page:
                yield event
            if len(page) < REPLAY_PAGE:
                return
            after = page[-1].seq


async def _require_within_log(uow: UnitOfWork, shift_id: UUID, last_seq: int) -> None:
    head = await uow.events.last_seq(shift_id)
    if last_seq > head:
        raise Conflict(
            Message("stream.beyond_head", {"last_seq": last_seq, "head": head}),
            last_seq=last_seq,
            head=head,
        )
