"""An order as its customer follows it: one state in words a customer uses."""

from __future__ import annotations

import enum

from fusionx.core.model.orders import Order, OrderState
from fusionx.core.model.refunds import PaymentState
from fusionx.core.model.tickets import Ticket, TicketState


class CustomerStatus(enum.StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    QUEUED = "queued"
    PREPARING = "preparing"
    READY = "ready"
    PICKED_UP = "picked_up"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


_BY_TICKET = {
    TicketState.NEW: CustomerStatus.QUEUED,
    TicketState.HOLD: CustomerStatus.QUEUED,
    TicketState.IN_PREP: CustomerStatus.PREPARING,
    TicketState.READY: CustomerStatus.READY,
    TicketState.COMPLETED: CustomerStatus.PICKED_UP,
    TicketState.CANCELLED: CustomerStatus.CANCELLED,
    TicketState.REFUNDED: CustomerStatus.REFUNDED,
}


def customer_status(order: Order, ticket: Ticket | None, payment: PaymentState) -> CustomerStatus:
    """What the customer is told: a held ticket is simply queued (holds are the
    kitchen's business); an order whose money all went back is refunded, whatever its
    ticket says; a paid order that cannot be made is cancelled until its refund is done."""
    if payment is PaymentState.REFUNDED:
        return CustomerStatus.REFUNDED
    if order.state is OrderState.NEEDS_REFUND:
        return CustomerStatus.CANCELLED
    if order.state is OrderState.AWAITING_PAYMENT or ticket is None:
        return CustomerStatus.AWAITING_PAYMENT
    return _BY_TICKET[ticket.state]


# While the customer waits for the kitchen: where a queue position means something.
WAITING = frozenset({CustomerStatus.QUEUED, CustomerStatus.PREPARING})
