from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol
from uuid import UUID

import msgspec

from fusionx.core.model.events import NewEvent
from fusionx.core.model.tickets import (
    HeldFeed,
    KdsTicket,
    Ticket,
    TicketMove,
    TicketState,
    TicketTransition,
)
from fusionx.ports.kitchen_feed import encode_feed


class FeedHead(msgspec.Struct, frozen=True, kw_only=True):
    """What the kitchen feed needs of its shift: whose truck it is, and the shift's last
    event number, which rises with every change to its tickets."""

    truck_id: UUID
    last_seq: int


class FeedJson(msgspec.Struct, frozen=True, kw_only=True):
    """The kitchen feed's head and, unless the client holds the feed as of ``last_seq``,
    its tickets as the API sends them (``TicketRepository.feed_json_unless_held``)."""

    truck_id: UUID
    last_seq: int
    tickets: bytes | None


class TicketRepository(Protocol):
    async def add(self, ticket: Ticket) -> None: ...

    async def get(self, ticket_id: UUID) -> Ticket | None: ...

    async def get_with_truck(self, ticket_id: UUID) -> tuple[Ticket, UUID] | None:
        """The ticket and the truck of its shift, in one read: what an access check needs."""
        ...

    async def for_order(self, order_id: UUID) -> Ticket | None:
        """The ticket an order put on the kitchen display."""
        ...

    async def save_move(self, move: TicketMove) -> bool:
        """Compare-and-set: store ``move.after`` (state, version, hold, stamped times)
        only if the ticket's version is still ``move.before.version``, and then, only
        then, add ``move.transition`` to its history. False, and nothing written, when
        another writer got there first (or there is no such ticket). What the move does
        is the ticket's decision (``Ticket.move``): the store keeps it as given."""
        ...

    async def save_move_logged(self, move: TicketMove, event: NewEvent) -> bool:
        """``save_move``, and only if the move was kept, ``event`` logged in this unit of
        work (as ``EventLog.append`` would): committed, numbered, published and reacted to
        with the unit's other events, or rolled back with them.

        A store may number and write the event at once, with the move (PostgreSQL: the
        move, its history, the event and its NOTIFY in one round trip). It then takes the
        shift's row from here to the unit's end, so only a unit that locks nothing after
        the move (a kitchen transition, not a cancellation returning stock) calls this."""
        ...

    async def due_to_fire(self, now: datetime, limit: int = 100) -> list[Ticket]:
        """HOLD tickets of any shift whose ``fire_at`` is at or before ``now``, soonest
        first. Reading one does not claim it: firing it is a move like any other."""
        ...

    async def add_transition(self, transition: TicketTransition) -> None: ...

    async def history(self, ticket_id: UUID) -> list[TicketTransition]:
        """Oldest first."""
        ...

    async def open_for_shift(self, shift_id: UUID) -> list[Ticket]:
        """Tickets not completed or cancelled, oldest first."""
        ...

    async def feed_head(self, shift_id: UUID) -> FeedHead | None:
        """The shift a kitchen feed is of, in one read; None if there is no such shift."""
        ...

    async def feed(self, shift_id: UUID, states: Collection[TicketState]) -> list[KdsTicket]:
        """The kitchen display's read: tickets in ``states`` with their lines, oldest first."""
        ...

    async def feed_json_unless_held(
        self,
        shift_id: UUID,
        states: Collection[TicketState],
        now: datetime,
        held: HeldFeed,
    ) -> FeedJson | None:
        """The shift's head (as ``feed_head``) and, unless ``held`` holds its ``last_seq``,
        ``feed`` as the API sends it: a UTF-8 JSON array of ``KdsTicketView``
        (``ports/kitchen_feed.py``), ages as of ``now``; None if there is no such shift.

        The tickets are at least as new as ``last_seq`` says, never older: a client never
        holds a feed older than its tag. A store may build the bytes itself, and in the
        read of the head (PostgreSQL does: one statement, one snapshot, so the tickets
        are exactly as of ``last_seq``); they must decode into what ``encode_feed`` makes
        of ``feed``."""
        ...


async def feed_json_in_two_reads(
    tickets: TicketRepository,
    shift_id: UUID,
    states: Collection[TicketState],
    now: datetime,
    held: HeldFeed,
) -> FeedJson | None:
    """``feed_json_unless_held`` for a store without a single read for it: the head, then,
    unless ``held`` holds its ``last_seq``, ``feed`` encoded, at least as new as the head."""
    head = await tickets.feed_head(shift_id)
    if head is None:
        return None
    body = None
    if not held.holds(head.last_seq):
        body = encode_feed(await tickets.feed(shift_id, states), now)
    return FeedJson(truck_id=head.truck_id, last_seq=head.last_seq, tickets=body)
