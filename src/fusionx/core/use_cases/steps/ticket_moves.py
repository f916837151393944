"""Saving a ticket's moves: shared by the kitchen's transitions, timed fires, refunds,
bulk close-out and a forced checkout, so all record history and events the same way.
What a move may do and what it stamps is the ticket's own business (``Ticket.move``)."""

from __future__ import annotations

from datetime import datetime

from fusionx.core.errors import Conflict
from fusionx.core.messages import Message
from fusionx.core.model.actors import Actor
from fusionx.core.model.events import NewEvent, TicketStateChanged
from fusionx.core.model.tickets import Ticket, TicketMove, TicketState
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
    if not await uow.tickets.save_move(move):
        raise await _stale(uow, move)
    await uow.events.append(_changed(move))
    return move.after


async def save_move_logged(uow: UnitOfWork, move: TicketMove) -> Ticket:
    """``save_move``, the store free to write the event with the move, in one round
    trip: only for a unit that locks nothing after the move (a kitchen transition),
    as it may hold the shift's row from here on (``TicketRepository.save_move_logged``)."""
    if not await uow.tickets.save_move_logged(move, _changed(move)):
        raise await _stale(uow, move)
    return move.after


async def _stale(uow: UnitOfWork, move: TicketMove) -> Conflict:
    """The refusal of a move another writer beat: what the ticket is now."""
    current = await uow.tickets.get(move.before.id)
    return (current or move.before).refusal(Message("ticket.stale_version"))


def _changed(move: TicketMove) -> NewEvent:
    ticket, moved, transition = move.before, move.after, move.transition
    return NewEvent(
        shift_id=ticket.shift_id,
        at=transition.at,
        data=TicketStateChanged(
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
