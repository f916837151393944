"""``TicketRepository.move_and_record`` as its two steps, for stores that have no single
statement for it (memory, SQLite): the guarded move, then the history row only if the
move won. PostgreSQL does both in one statement instead."""

from __future__ import annotations

from datetime import datetime

from fusionx.core.model.tickets import Ticket, TicketState, TicketTransition
from fusionx.ports.repositories.tickets import TicketRepository


async def move_then_record(
    tickets: TicketRepository,
    transition: TicketTransition,
    *,
    held_from: TicketState | None,
    fire_at: datetime | None,
) -> Ticket | None:
    moved = await tickets.move(
        transition.ticket_id,
        expected_version=transition.version - 1,
        target=transition.target,
        at=transition.at,
        held_from=held_from,
        fire_at=fire_at,
    )
    if moved is not None:
        await tickets.add_transition(transition)
    return moved
