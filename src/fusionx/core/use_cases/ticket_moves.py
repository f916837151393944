"""Moving a ticket through its state table: shared by the kitchen's transitions and by
a forced checkout, so both record history and events the same way."""

from __future__ import annotations

from datetime import datetime

from fusionx.core.errors import Conflict
from fusionx.core.model.actors import Actor
from fusionx.core.model.events import EventType
from fusionx.core.model.tickets import TICKET_MACHINE, Ticket, TicketState, TicketTransition
from fusionx.core.use_cases.shift_scope import log_event
from fusionx.ports.unit_of_work import UnitOfWork


def stale(ticket: Ticket, detail: str) -> Conflict:
    """A conflict that tells the client what the ticket is now, so it can refresh."""
    return Conflict(detail, state=ticket.state.value, version=ticket.version)


async def move_ticket(
    uow: UnitOfWork,
    ticket: Ticket,
    target: TicketState,
    *,
    actor: Actor,
    at: datetime,
    reason: str | None = None,
) -> Ticket:
    if not TICKET_MACHINE.allows(ticket.state, target):
        raise stale(ticket, f"A {ticket.state.value} ticket cannot become {target.value}")
    moved = await uow.tickets.move(ticket.id, expected_version=ticket.version, target=target, at=at)
    if moved is None:
        current = await uow.tickets.get(ticket.id)
        raise stale(current or ticket, "The ticket changed since this version; refresh it")
    await uow.tickets.add_transition(
        TicketTransition(
            ticket_id=ticket.id,
            source=ticket.state,
            target=target,
            version=moved.version,
            at=at,
            actor=actor,
            reason=reason,
        )
    )
    await log_event(
        uow,
        ticket.shift_id,
        EventType.TICKET_CHANGED,
        at,
        {
            "ticket_id": ticket.id,
            "order_id": ticket.order_id,
            "number": ticket.number,
            "from": ticket.state,
            "to": target,
            "version": moved.version,
            "actor": actor,
            "reason": reason,
        },
    )
    return moved
