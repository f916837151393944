"""Moving a ticket through its state table: shared by the kitchen's transitions, timed
fires, refunds, bulk close-out and a forced checkout, so all record history and events
the same way."""

from __future__ import annotations

from datetime import datetime

from fusionx.core.errors import Conflict
from fusionx.core.model.actors import Actor
from fusionx.core.model.events import TicketStateChanged
from fusionx.core.model.tickets import (
    HOLDABLE_STATES,
    TICKET_MACHINE,
    Ticket,
    TicketState,
    TicketTransition,
)
from fusionx.core.use_cases.shift_scope import log_event
from fusionx.ports.unit_of_work import UnitOfWork


def stale(ticket: Ticket, detail: str) -> Conflict:
    """A conflict that tells the client what the ticket is now, so it can refresh."""
    return Conflict(detail, state=ticket.state.value, version=ticket.version)


def check_move(ticket: Ticket, target: TicketState) -> None:
    """The move must be a row of the table; a held ticket resumes where it was held."""
    if not TICKET_MACHINE.allows(ticket.state, target):
        raise stale(ticket, f"A {ticket.state.value} ticket cannot become {target.value}")
    held_from = ticket.held_from
    if ticket.state is TicketState.HOLD and target in HOLDABLE_STATES and target != held_from:
        resume = held_from.value if held_from else "its earlier state"
        raise stale(ticket, f"A ticket held from {resume} resumes to {resume}")


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
    check_move(ticket, target)
    holding = target is TicketState.HOLD
    moved = await uow.tickets.move_and_record(
        TicketTransition(
            ticket_id=ticket.id,
            source=ticket.state,
            target=target,
            version=ticket.version + 1,
            at=at,
            actor=actor,
            reason=reason,
        ),
        held_from=ticket.state if holding else None,
        fire_at=fire_at if holding else None,
    )
    if moved is None:
        current = await uow.tickets.get(ticket.id)
        raise stale(current or ticket, "The ticket changed since this version; refresh it")
    await log_event(
        uow,
        ticket.shift_id,
        at,
        TicketStateChanged(
            ticket_id=ticket.id,
            order_id=ticket.order_id,
            number=ticket.number,
            from_=ticket.state,
            to=target,
            version=moved.version,
            actor=actor,
            reason=reason,
            fire_at=moved.fire_at,
        ),
    )
    return moved
