from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.actors import actor_of
from fusionx.core.model.principals import Principal
from fusionx.core.model.tickets import Ticket, TicketState
from fusionx.core.rules.access import can_act_on_truck
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.ticket_moves import move_ticket, stale
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class TransitionRequest(msgspec.Struct, frozen=True, kw_only=True):
    ticket_id: UUID
    target: TicketState
    expected_version: int
    reason: str | None = None


class TransitionTicket:
    """Move a kitchen ticket: new → in prep → ready → completed, or cancelled early.

    Rules:
    - staff or a device of the ticket's truck;
    - the move must be a row of the ticket state table;
    - the caller names the version it last saw; if the ticket changed since, the
      move is refused with the current state and version. Of two devices bumping
      the same ticket at once, exactly one wins;
    - each move records its time, actor and reason, and is an event on the shift.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, request: TransitionRequest) -> Ticket:
        reason = require_text("reason", request.reason, max_length=500) if request.reason else None
        async with self._uow as uow:
            ticket = await uow.tickets.get(request.ticket_id)
            shift = await uow.shifts.get(ticket.shift_id) if ticket else None
            if ticket is None or shift is None or not can_act_on_truck(principal, shift.truck_id):
                raise NotFound("ticket", request.ticket_id)
            if ticket.version != request.expected_version:
                raise stale(ticket, "The ticket changed since this version; refresh it")
            moved = await move_ticket(
                uow,
                ticket,
                request.target,
                actor=actor_of(principal),
                at=self._clock.now(),
                reason=reason,
            )
            await uow.commit()
        return moved
