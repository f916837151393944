from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import Conflict, InvalidInput
from fusionx.core.model.actors import Actor, actor_of
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.events import ShiftClosed, ShiftPaused, ShiftResumed
from fusionx.core.model.fleet_events import ShiftForceClosed, Stream
from fusionx.core.model.principals import Principal
from fusionx.core.model.shifts import SHIFT_MACHINE, Shift, ShiftState, ShiftTransition
from fusionx.core.model.staff import Role
from fusionx.core.model.tickets import TicketState
from fusionx.core.rules.access import require_staff
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.cancellation import record_cancellation
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.shift_scope import log_event, shift_in_scope
from fusionx.core.use_cases.steps.ticket_moves import move_ticket
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork

_EVENTS: dict[ShiftState, type[ShiftPaused | ShiftResumed | ShiftClosed]] = {
    ShiftState.PAUSED: ShiftPaused,
    ShiftState.OPEN: ShiftResumed,
    ShiftState.CLOSED: ShiftClosed,
}


class ChangeShiftRequest(msgspec.Struct, frozen=True, kw_only=True):
    shift_id: UUID
    target: ShiftState
    force: bool = False
    reason: str | None = None


class ChangeShiftState:
    """Pause, resume or check out a shift.

    Rules:
    - staff of the shift's truck only; the move must be in the shift state table
      (open ⇄ paused, either → closed; closed is final), else a conflict naming the
      current state;
    - a paused shift takes no new orders but its open tickets are still worked;
    - checkout with open tickets is refused, listing them, unless ``force`` is given
      with a reason by a manager (or higher): then each open ticket is cancelled with
      that reason first (an ``other`` cancellation on the audit trail; no stock goes back
      to a closing shift);
    - every move records who and when in the history and is an event on the shift;
    - a forced checkout, a manager's override, is also ``shift.force_closed`` on the
      truck's fleet stream (the audit trail), naming the tickets it cancelled.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, request: ChangeShiftRequest) -> Shift:
        reason = require_text("reason", request.reason, max_length=500) if request.reason else None
        if request.force and reason is None:
            raise InvalidInput("reason", "is required to force a checkout")
        now = self._clock.now()
        async with self._uow as uow:
            shift = await shift_in_scope(uow, principal, request.shift_id, for_update=True)
            # Forcing cancels every open ticket: a manager's decision, not crew's.
            actor = actor_of(require_staff(principal, Role.MANAGER if request.force else Role.CREW))
            if not SHIFT_MACHINE.allows(shift.state, request.target):
                raise Conflict(
                    f"A {shift.state.value} shift cannot become {request.target.value}",
                    state=shift.state.value,
                )
            cancelled: tuple[UUID, ...] = ()
            if request.target is ShiftState.CLOSED:
                cancelled = await self._settle_open_tickets(
                    uow, shift, actor, force=request.force, reason=reason
                )
            changed = msgspec.structs.replace(
                shift,
                state=request.target,
                closed_at=now if request.target is ShiftState.CLOSED else None,
            )
            await uow.shifts.update(changed)
            await uow.shifts.add_transition(
                ShiftTransition(
                    shift_id=shift.id,
                    source=shift.state,
                    target=changed.state,
                    at=now,
                    actor=actor,
                    reason=reason,
                )
            )
            await log_event(
                uow,
                shift.id,
                now,
                _EVENTS[changed.state](
                    state=changed.state, previous=shift.state, actor=actor, reason=reason
                ),
            )
            if request.force and request.target is ShiftState.CLOSED and reason is not None:
                forced = ShiftForceClosed(
                    shift_id=shift.id,
                    truck_id=shift.truck_id,
                    before=shift.state,
                    after=changed.state,
                    reason=reason,
                    cancelled_ticket_ids=cancelled,
                )
                await log_fleet_event(uow, Stream.truck(shift.truck_id), now, actor, forced)
            await uow.commit()
        return changed

    async def _settle_open_tickets(
        self, uow: UnitOfWork, shift: Shift, actor: Actor, *, force: bool, reason: str | None
    ) -> tuple[UUID, ...]:
        """The ids of the tickets a forced checkout cancelled."""
        open_tickets = await uow.tickets.open_for_shift(shift.id)
        if not open_tickets:
            return ()
        if not force:
            raise Conflict(
                "The shift still has open tickets; finish them or force the checkout",
                open_tickets=[
                    {"id": str(t.id), "number": t.number, "state": t.state.value}
                    for t in open_tickets
                ],
            )
        for ticket in open_tickets:
            at = self._clock.now()
            await move_ticket(uow, ticket, TicketState.CANCELLED, actor=actor, at=at, reason=reason)
            order = await uow.orders.get(ticket.order_id)
            if order is not None:
                # The shift closes: its stock is of no more use, so none goes back.
                await record_cancellation(
                    uow,
                    ticket,
                    order,
                    reason=CancelReason.OTHER,
                    note=reason,
                    stock_returned=False,
                    actor=actor,
                    at=at,
                    audited=False,  # shift.force_closed names it
                )
        return tuple(ticket.id for ticket in open_tickets)
