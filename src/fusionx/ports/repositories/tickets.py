from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol
from uuid import UUID

import msgspec

from fusionx.core.model.tickets import KdsTicket, Ticket, TicketState, TicketTransition


class FeedHead(msgspec.Struct, frozen=True, kw_only=True):
    """What the kitchen feed needs of its shift: whose truck it is, and the shift's last
    event number, which rises with every change to its tickets."""

    truck_id: UUID
    last_seq: int


class TicketRepository(Protocol):
    async def add(self, ticket: Ticket) -> None: ...

    async def get(self, ticket_id: UUID) -> Ticket | None: ...

    async def get_with_truck(self, ticket_id: UUID) -> tuple[Ticket, UUID] | None:
        """The ticket and the truck of its shift, in one read: what an access check needs."""
        ...

    async def for_order(self, order_id: UUID) -> Ticket | None:
        """The ticket an order put on the kitchen display."""
        ...

    async def move(
        self,
        ticket_id: UUID,
        *,
        expected_version: int,
        target: TicketState,
        at: datetime,
        held_from: TicketState | None = None,
        fire_at: datetime | None = None,
    ) -> Ticket | None:
        """Compare-and-set: move the ticket and bump its version only if its version is
        still ``expected_version``. None when another writer got there first.

        ``held_from`` and ``fire_at`` replace the ticket's own: a move into HOLD sets
        them, every other move clears them."""
        ...

    async def move_and_record(
        self,
        transition: TicketTransition,
        *,
        held_from: TicketState | None = None,
        fire_at: datetime | None = None,
    ) -> Ticket | None:
        """``move`` and ``add_transition`` as one step: move the ticket to
        ``transition.target`` at ``transition.at`` only if its version is still
        ``transition.version - 1``, and then, only then, add ``transition`` to its
        history. None, and no history, when another writer got there first."""
        ...

    async def due_to_fire(self, now: datetime, limit: int = 100) -> list[Ticket]:
        """HOLD tickets of any shift whose ``fire_at`` is at or before ``now``, soonest
        first. Reading one does not claim it: firing it is a ``move`` like any other."""
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
