from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.cancellations import Cancellation
from fusionx.core.model.orders import Order
from fusionx.core.model.principals import Principal, StaffPrincipal
from fusionx.core.model.refunds import PaymentState, Refund, payment_state, refunded_cents
from fusionx.core.model.tickets import Ticket, TicketTransition
from fusionx.core.rules.access import require_truck_scope
from fusionx.ports.unit_of_work import UnitOfWork


class OrderDetails(msgspec.Struct, frozen=True, kw_only=True):
    """``ticket`` is None, and ``history`` empty, while an online order awaits payment or
    when it was paid but could not be served."""

    order: Order
    ticket: Ticket | None
    history: list[TicketTransition]
    payment_state: PaymentState
    paid_cents: int
    refunded_cents: int
    refunds: list[Refund]
    cancellation: Cancellation | None = None


class ViewOrder:
    """Everything about one order: lines, totals, payment, and its ticket's whole history.

    Rules:
    - staff and devices of the order's truck; everyone else gets 404;
    - the customer's contact details (phone, email) are shown to the truck's staff only:
      a kitchen device sees the name it already shows on the ticket, never the contact.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, principal: Principal, order_id: UUID) -> OrderDetails:
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
            shift = await uow.shifts.get(order.shift_id) if order else None
            if order is None or shift is None:
                raise NotFound("order", order_id)
            require_truck_scope(principal, shift.truck_id, "order", order_id)
            refunds = await uow.refunds.for_order(order_id)
            paid = order.paid_cents(await uow.payments.taken_for(order_id))
            ticket = await uow.tickets.for_order(order_id)
            if not isinstance(principal, StaffPrincipal):
                order = order.without_contact()
            return OrderDetails(
                order=order,
                ticket=ticket,
                history=await uow.tickets.history(ticket.id) if ticket else [],
                payment_state=payment_state(order, paid, refunds),
                paid_cents=paid,
                refunded_cents=refunded_cents(refunds),
                refunds=refunds,
                cancellation=await uow.cancellations.for_order(order_id),
            )
