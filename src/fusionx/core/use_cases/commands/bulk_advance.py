from __future__ import annotations

import enum
from uuid import UUID

import msgspec

from fusionx.core.errors import Conflict, InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.actors import actor_of
from fusionx.core.model.principals import Principal
from fusionx.core.model.tickets import Ticket, TicketState
from fusionx.core.rules.access import require_operator
from fusionx.core.use_cases.steps.shift_scope import shift_in_scope
from fusionx.core.use_cases.steps.ticket_moves import move_ticket
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWorkFactory

MAX_TICKETS = 200


class AdvanceOutcome(enum.StrEnum):
    ADVANCED = "advanced"
    NOT_READY = "not_ready"  # in another state: ``state`` says which
    NOT_FOUND = "not_found"  # no such ticket on this shift
    CHANGED = "changed"  # moved by someone else while the close-out ran


class AdvanceResult(msgspec.Struct, frozen=True, kw_only=True):
    ticket_id: UUID
    outcome: AdvanceOutcome
    ticket: Ticket | None = None


class BulkAdvanceRequest(msgspec.Struct, frozen=True, kw_only=True):
    """No ``ticket_ids``: every READY ticket of the shift."""

    shift_id: UUID
    ticket_ids: tuple[UUID, ...] | None = None


class BulkAdvanceTickets:
    """Close out the pass: READY tickets to COMPLETED in one request.

    Rules:
    - staff or devices of the shift's truck;
    - every READY ticket of the shift, or the listed ones (1 to 200, each once);
    - a result per ticket: advanced, or why not (not ready, with its state; not on this
      shift; changed by someone else meanwhile);
    - each ticket moves in its own unit of work from the version it has: one history row
      and one event each, and one ticket refused never holds back the others.
    """

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, principal: Principal, request: BulkAdvanceRequest
    ) -> list[AdvanceResult]:
        ids = request.ticket_ids
        if ids is not None:
            if not 1 <= len(ids) <= MAX_TICKETS:
                raise InvalidInput(
                    "ticket_ids", Message("ticket.bulk_count", {"high": MAX_TICKETS})
                )
            if len(set(ids)) != len(ids):
                raise InvalidInput("ticket_ids", Message("ticket.bulk_once"))
        async with self._uow() as uow:
            shift = await shift_in_scope(uow, principal, request.shift_id)
            if ids is None:
                ready = await uow.tickets.feed(shift.id, {TicketState.READY})
                ids = tuple(ticket.id for ticket in ready)
        return [await self._advance(principal, shift.id, ticket_id) for ticket_id in ids]

    async def _advance(
        self, principal: Principal, shift_id: UUID, ticket_id: UUID
    ) -> AdvanceResult:
        async with self._uow() as uow:
            ticket = await uow.tickets.get(ticket_id)
            if ticket is None or ticket.shift_id != shift_id:
                return AdvanceResult(ticket_id=ticket_id, outcome=AdvanceOutcome.NOT_FOUND)
            if ticket.state is not TicketState.READY:
                return AdvanceResult(
                    ticket_id=ticket_id, outcome=AdvanceOutcome.NOT_READY, ticket=ticket
                )
            try:
                moved = await move_ticket(
                    uow,
                    ticket,
                    TicketState.COMPLETED,
                    actor=actor_of(require_operator(principal)),
                    at=self._clock.now(),
                    reason="bulk close-out",
                )
            except Conflict:
                current = await uow.tickets.get(ticket_id)
                return AdvanceResult(
                    ticket_id=ticket_id, outcome=AdvanceOutcome.CHANGED, ticket=current
                )
            await uow.commit()
        return AdvanceResult(ticket_id=ticket_id, outcome=AdvanceOutcome.ADVANCED, ticket=moved)
