"""Saving a ticket's moves: shared by the kitchen's transitions, timed fires, refunds,
bulk close-out and a forced checkout, so all record history and events the same way.
What a move may do and what it stamps is the ticket's own business (``Ticket.move``)."""

from __future__ import annotations

from datetime import datetime

from fusionx.core.messages import Message
from fusionx.core.model.actors import Actor
from fusionx.core.model.events import TicketStateChanged
from fusionx.core.model.tickets import Ticket, TicketMove, TicketState
from fusionx.core.use_cases.steps.shift_scope import log_event
from fusionx.ports.unit_of_work import UnitOfWork


async def move_ticket(
    uow: UnitOfWork,
    ticket: Ticket,
    target: TicketState,
    *,
    actor: Actor,
    at: datetime,
    reason: str | None = None,
    fire_at: datetime | None = None,
) -> Ticket:
    """Move ``ticket`` from the version given; ``fire_at`` only for a move into HOLD."""
    return await save_move(
        uow, ticket.move(target, at=at, actor=actor, reason=reason, fire_at=fire_at)
    )


async def save_move(uow: UnitOfWork, move: TicketMove) -> Ticket:
    """Keep ``move`` and its history if the ticket is still where it was, and log it."""
    ticket, moved, transition = move.before, move.after, move.transition
    if not await uow.tickets.save_move(move):
        current = await uow.tickets.get(ticket.id)
        raise (current or ticket).refusal(Message("ticket.stale_version"))
    await log_event(
        uow,
        ticket.shift_id,
        transition.at,
        TicketStateChanged(
            ticket_id=ticket.id,
            order_id=ticket.order_id,
            number=ticket.number,
            from_=ticket.state,
            to=moved.state,
            version=moved.version,
            actor=transition.actor,
            reason=transition.reason,
            fire_at=moved.fire_at,
        ),
    )
    return moved
