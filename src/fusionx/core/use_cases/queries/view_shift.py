"""Read-only views of a shift: its state and history, its kitchen feed (the menu is
``ViewShiftMenu``)."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.principals import Principal
from fusionx.core.model.shifts import Shift, ShiftTransition
from fusionx.core.model.tickets import OPEN_STATES, HeldFeed, KdsTicket, TicketState
from fusionx.core.rules.access import can_act_on_truck
from fusionx.core.use_cases.steps.shift_scope import shift_in_scope
from fusionx.ports.clock import Clock
from fusionx.ports.repositories.tickets import FeedHead
from fusionx.ports.unit_of_work import UnitOfWork


class ShiftDetails(msgspec.Struct, frozen=True, kw_only=True):
    shift: Shift
    history: list[ShiftTransition]
    last_seq: int


class KdsFeed(msgspec.Struct, frozen=True, kw_only=True):
    """``last_seq`` identifies the shift's state: the feed cannot change without it rising."""

    last_seq: int
    tickets: list[KdsTicket]


class KdsFeedJson(msgspec.Struct, frozen=True, kw_only=True):
    """``KdsFeed`` as the API sends its tickets: ``tickets`` is a JSON array of
    ``KdsTicketView`` (``ports/kitchen_feed.py``), as the store wrote it."""

    last_seq: int
    tickets: bytes


class FeedUnchanged(msgspec.Struct, frozen=True, kw_only=True):
    """The client already holds the feed as of ``last_seq``, the shift's last event."""

    last_seq: int


class ViewShift:
    """What staff and devices of a shift's truck may read about it; others get 404.

    It only reads: the kitchen feed, asked for many times a minute by every tablet, runs
    on a reading unit of work (``Adapters.reader``), and its tickets' ages are as of the
    clock's time when they are read.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def details(self, principal: Principal, shift_id: UUID) -> ShiftDetails:
        async with self._uow as uow:
            shift = await shift_in_scope(uow, principal, shift_id)
            return ShiftDetails(
                shift=shift,
                history=await uow.shifts.history(shift.id),
                last_seq=await uow.events.last_seq(shift.id),
            )

    async def feed(
        self,
        principal: Principal,
        shift_id: UUID,
        states: Collection[TicketState] = OPEN_STATES,
    ) -> KdsFeed:
        """Tickets in ``states`` (open ones by default), oldest first, with their lines."""
        async with self._uow as uow:
            head = await _feed_head_in_scope(uow, principal, shift_id)
            return KdsFeed(last_seq=head.last_seq, tickets=await uow.tickets.feed(shift_id, states))

    async def feed_unless_held(
        self,
        principal: Principal,
        shift_id: UUID,
        states: Collection[TicketState],
        held: HeldFeed,
    ) -> KdsFeedJson | FeedUnchanged:
        """``feed`` as the API sends it, unless ``held`` says the client holds it as of
        the shift's last event: then the tickets are not read at all.

        The head and the tickets come in one read (one statement on PostgreSQL), before
        the caller's scope is checked: a caller out of scope may have had the store build
        the feed, which is dropped here, unseen, for the same 404 as an unknown shift.
        """
        async with self._uow as uow:
            read = await uow.tickets.feed_json_unless_held(
                shift_id, states, self._clock.now(), held
            )
        if read is None or not can_act_on_truck(principal, read.truck_id):
            raise NotFound("shift", shift_id)
        if read.tickets is None:
            return FeedUnchanged(last_seq=read.last_seq)
        return KdsFeedJson(last_seq=read.last_seq, tickets=read.tickets)


async def _feed_head_in_scope(uow: UnitOfWork, principal: Principal, shift_id: UUID) -> FeedHead:
    """The shift's head, if the caller may see it; else 404, as ``shift_in_scope``.

    Read before the tickets, so the tickets are at least as new as ``last_seq`` says (a
    reading unit may see each statement at a later moment than the one before).
    """
    head = await uow.tickets.feed_head(shift_id)
    if head is None or not can_act_on_truck(principal, head.truck_id):
        raise NotFound("shift", shift_id)
    return head
