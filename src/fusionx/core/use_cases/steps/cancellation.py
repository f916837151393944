"""Cancelling an order's ticket: the stock it returns, the audit record, the events.

Shared by the kitchen's transitions and anything else that cancels, so every
cancellation is recorded the same way.
"""

from __future__ import annotations

from datetime import datetime

from fusionx.core.errors import InvalidInput
from fusionx.core.model.actors import Actor
from fusionx.core.model.cancellations import FOOD_MADE_REASONS, Cancellation, CancelReason
from fusionx.core.model.events import OrderCancelled
from fusionx.core.model.fleet_events import OrderCancelledByStaff, Stream
from fusionx.core.model.orders import Order
from fusionx.core.model.stock import StockMovement, StockReason
from fusionx.core.model.tickets import MADE_STATES, Ticket, TicketState
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.shift_scope import log_event, log_stock_movement
from fusionx.core.use_cases.steps.ticket_moves import save_move
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


def require_reason(reason: CancelReason | None, note: str | None) -> CancelReason:
    if reason is None:
        raise InvalidInput("cancel_reason", f"is required: one of {', '.join(CancelReason)}")
    if reason is CancelReason.OTHER and not note:
        raise InvalidInput("reason", "must say why when the cancel_reason is other")
    return reason


def describe(reason: CancelReason, note: str | None) -> str:
    """How the reason reads in the ticket's history."""
    return f"{reason.value}: {note}" if note else reason.value


async def cancel_ticket(
    uow: UnitOfWork,
    ids: IdGenerator,
    ticket: Ticket,
    order: Order,
    *,
    reason: CancelReason,
    note: str | None,
    actor: Actor,
    at: datetime,
) -> Ticket:
    """Cancel ``ticket`` (from the version given) and return its stock unless made."""
    move = ticket.move(TicketState.CANCELLED, at=at, actor=actor, reason=describe(reason, note))
    made = ticket.state in MADE_STATES or reason in FOOD_MADE_REASONS
    # Stock first, the ticket after: every unit of work takes stock rows before the
    # shift's event counter, so two of them never wait on each other in a circle. Should
    # the ticket have moved meanwhile, the unit rolls back and the stock with it.
    returned = [] if made else await _return_stock(uow, ids, order, actor, at)
    moved = await save_move(uow, move)
    for movement in returned:
        await log_stock_movement(uow, movement)
    await record_cancellation(
        uow, ticket, order, reason=reason, note=note, stock_returned=not made, actor=actor, at=at
    )
    return moved


async def record_cancellation(
    uow: UnitOfWork,
    ticket: Ticket,
    order: Order,
    *,
    reason: CancelReason,
    note: str | None,
    stock_returned: bool,
    actor: Actor,
    at: datetime,
    audited: bool = True,
) -> Cancellation:
    """The cancellation record and ``order.cancelled`` events of ``ticket`` (as it was
    before): on its shift's log, and on its truck's fleet stream, the audit trail,
    unless ``audited`` is False: the action that cancelled it is on the trail itself
    (a forced checkout names the tickets it cancelled)."""
    cancellation = Cancellation(
        order_id=order.id,
        ticket_id=ticket.id,
        shift_id=ticket.shift_id,
        number=ticket.number,
        reason=reason,
        note=note,
        from_state=ticket.state,
        stock_returned=stock_returned,
        amount_cents=order.total_cents,
        actor=actor,
        at=at,
    )
    await uow.cancellations.add(cancellation)
    await log_event(uow, ticket.shift_id, at, OrderCancelled(cancellation=cancellation))
    shift = await uow.shifts.get(ticket.shift_id) if audited else None
    if shift is not None:  # a ticket's shift is never removed
        record = OrderCancelledByStaff(truck_id=shift.truck_id, cancellation=cancellation)
        await log_fleet_event(uow, Stream.truck(shift.truck_id), at, actor, record)
    return cancellation


async def _return_stock(
    uow: UnitOfWork, ids: IdGenerator, order: Order, actor: Actor, at: datetime
) -> list[StockMovement]:
    returned = []
    for item_id, quantity in order.quantities.items():
        movement = await uow.stock.adjust(
            StockMovement(
                id=ids.new_id(),
                shift_id=order.shift_id,
                item_id=item_id,
                delta=quantity,
                on_hand_after=0,
                reason=StockReason.RETURN,
                actor=actor,
                at=at,
                order_id=order.id,
            )
        )
        if movement is not None:  # a positive delta is always recorded
            returned.append(movement)
    return returned
