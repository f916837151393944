from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import msgspec

from fusionx.core.errors import InvalidInput, NotFound
from fusionx.core.messages import Message
from fusionx.core.model.actors import actor_of
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.principals import Principal
from fusionx.core.model.tickets import DEFAULT_RECALL_WINDOW, Ticket, TicketState
from fusionx.core.rules.access import can_act_on_truck, require_operator
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.cancellation import cancel_ticket, require_reason
from fusionx.core.use_cases.steps.ticket_moves import save_move_logged
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


class TransitionRequest(msgspec.Struct, frozen=True, kw_only=True):
    ticket_id: UUID
    target: TicketState
    expected_version: int
    reason: str | None = None
    fire_at: datetime | None = None
    cancel_reason: CancelReason | None = None


class TransitionTicket:
    """Move a kitchen ticket along its state table.

    Rules:
    - staff or a device of the ticket's truck;
    - the move must be a row of the ticket state table;
    - the caller names the version it last saw; if the ticket changed since, the
      move is refused with the current state and version. Of two devices bumping
      the same ticket at once, exactly one wins;
    - HOLD, from new or in prep, by hand or until ``fire_at`` (a future time: the
      ticket then fires by itself); a held ticket resumes to the state it was held from;
    - a completed ticket can be recalled to ready within the recall window of its
      completion (10 minutes unless configured);
    - cancelling needs a ``cancel_reason`` from the fixed list (``other`` with a
      reason text); the stock goes back unless the food was made (see cancellation);
    - a ticket becomes refunded through a refund of its order, never by a move;
    - each move records its time, actor and reason, and is an event on the shift.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        ids: IdGenerator,
        recall_window: timedelta = DEFAULT_RECALL_WINDOW,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._recall_window = recall_window

    async def execute(self, principal: Principal, request: TransitionRequest) -> Ticket:
        reason = require_text("reason", request.reason, max_length=500) if request.reason else None
        now = self._clock.now()
        self._check_shape(request, now)
        async with self._uow as uow:
            found = await uow.tickets.get_with_truck(request.ticket_id)
            if found is None or not can_act_on_truck(principal, found[1]):
                raise NotFound("ticket", request.ticket_id)
            actor = actor_of(require_operator(principal))
            ticket = found[0]
            if request.target is TicketState.CANCELLED:
                # Stale before anything else, as every other move is.
                ticket.check_version(request.expected_version)
                order = await uow.orders.get(ticket.order_id)
                if order is None:  # pragma: no cover - a ticket always has its order
                    raise NotFound("ticket", request.ticket_id)
                moved = await cancel_ticket(
                    uow,
                    self._ids,
                    ticket,
                    order,
                    reason=require_reason(request.cancel_reason, reason),
                    note=reason,
                    actor=actor,
                    at=now,
                )
            else:
                move = ticket.move(
                    request.target,
                    at=now,
                    actor=actor,
                    reason=reason,
                    fire_at=request.fire_at,
                    version=request.expected_version,
                    recall_window=self._recall_window,
                )
                # Nothing is locked after the move: its event may be written with it.
                moved = await save_move_logged(uow, move)
            await uow.commit()
        return moved

    @staticmethod
    def _check_shape(request: TransitionRequest, now: datetime) -> None:
        if request.target is TicketState.REFUNDED:
            raise InvalidInput("to", Message("ticket.refund_via_order"))
        if request.fire_at is not None:
            if request.target is not TicketState.HOLD:
                raise InvalidInput("fire_at", Message("ticket.fire_only_on_hold"))
            if request.fire_at <= now:
                raise InvalidInput("fire_at", Message("input.future"))
        if request.cancel_reason is not None and request.target is not TicketState.CANCELLED:
            raise InvalidInput("cancel_reason", Message("ticket.reason_only_on_cancel"))
