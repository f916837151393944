from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.loyalty import LoyaltyEntry
from fusionx.core.model.orders import Order
from fusionx.core.model.principals import CustomerPrincipal
from fusionx.core.model.refunds import PaymentState, payment_state, refunded_cents
from fusionx.core.model.tickets import TicketState
from fusionx.core.rules.access import require_order_scope
from fusionx.core.use_cases.steps.customer_accounts import signed_in_customer
from fusionx.ports.unit_of_work import UnitOfWork


class CustomerOrderDetails(msgspec.Struct, frozen=True, kw_only=True):
    """What a customer sees of their order: never the kitchen's history or staff names.
    ``ticket_state`` is None until the kitchen has the order (an online order is paid)."""

    order: Order
    ticket_state: TicketState | None
    payment_state: PaymentState
    paid_cents: int
    refunded_cents: int
    points: list[LoyaltyEntry]


class ViewCustomerOrder:
    """One of a signed-in customer's own orders.

    Rules:
    - the order's account must be the caller's: any other order (another customer's, a
      guest's, a window order) is 404, as one that does not exist;
    - what the kitchen shows of it is its state only; the loyalty entries it brought
      (earned, spent, reversed) come with it.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, customer: CustomerPrincipal, order_id: UUID) -> CustomerOrderDetails:
        async with self._uow as uow:
            await signed_in_customer(uow, customer)
            order = await uow.orders.get(order_id)
            shift = await uow.shifts.get(order.shift_id) if order else None
            if order is None or shift is None:
                raise NotFound("order", order_id)
            require_order_scope(
                customer, order_id=order_id, truck_id=shift.truck_id, customer_id=order.customer_id
            )
            refunds = await uow.refunds.for_order(order_id)
            paid = order.paid_cents(await uow.payments.taken_for(order_id))
            ticket = await uow.tickets.for_order(order_id)
            return CustomerOrderDetails(
                order=order,
                ticket_state=None if ticket is None else ticket.state,
                payment_state=payment_state(order, paid, refunds),
                paid_cents=paid,
                refunded_cents=refunded_cents(refunds),
                points=await uow.loyalty.for_order(order_id),
            )
