from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.customer_status import WAITING, CustomerStatus, customer_status
from fusionx.core.model.orders import Order
from fusionx.core.model.principals import Principal
from fusionx.core.model.refunds import payment_state, refunded_cents
from fusionx.core.model.reviews import Review
from fusionx.core.model.tickets import Ticket, TicketState
from fusionx.core.model.trucks import Location, Truck
from fusionx.core.rules.access import require_order_owner
from fusionx.ports.unit_of_work import UnitOfWork


class TrackedOrder(msgspec.Struct, frozen=True, kw_only=True):
    """An order as its customer sees it. ``order`` holds no contact details; ``ahead``
    is the tickets before it in the kitchen's queue while it waits (None otherwise)."""

    order: Order
    status: CustomerStatus
    promised_ready_at: datetime | None
    ahead: int | None
    paid_cents: int
    refunded_cents: int
    truck: Truck
    location: Location
    review: Review | None = None


class ViewTrackedOrder:
    """One order, as its customer follows it.

    Rules:
    - the order's customer only: the guest holding its tracking token, or the account
      that placed it; any other customer gets 404, staff and devices 403 (they have the
      order's own routes);
    - no contact details, no staff, no other order: only how many tickets are ahead;
    - the ready time is the one the customer was last told (the promise, or the new
      time a slip made us send), else the kitchen's promise.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, principal: Principal, order_id: UUID) -> TrackedOrder:
        async with self._uow as uow:
            order = await uow.orders.get(order_id)
            shift = await uow.shifts.get(order.shift_id) if order else None
            if order is None or shift is None:
                raise NotFound("order", order_id)
            require_order_owner(principal, order_id=order.id, customer_id=order.customer_id)
            truck = await uow.trucks.get(shift.truck_id)
            location = await uow.locations.get(shift.location_id)
            if truck is None or location is None:
                raise NotFound("order", order_id)
            ticket = await uow.tickets.for_order(order.id)
            refunds = await uow.refunds.for_order(order.id)
            paid = order.paid_cents(await uow.payments.taken_for(order.id))
            status = customer_status(order, ticket, payment_state(order, paid, refunds))
            tracking = await uow.tracking.for_order(order.id)
            told = tracking.told_ready_at if tracking else None
            return TrackedOrder(
                order=order.without_contact(),
                status=status,
                promised_ready_at=told or order.promised_ready_at,
                ahead=await _ahead(uow, ticket) if ticket and status in WAITING else None,
                paid_cents=paid,
                refunded_cents=refunded_cents(refunds),
                truck=truck,
                location=location,
                review=await uow.reviews.for_order(order.id),
            )


async def _ahead(uow: UnitOfWork, ticket: Ticket) -> int:
    """Tickets still to be made that came in before this one."""
    open_tickets = await uow.tickets.open_for_shift(ticket.shift_id)
    return sum(
        1
        for other in open_tickets
        if other.state is not TicketState.READY
        and (other.created_at, other.number) < (ticket.created_at, ticket.number)
    )
