"""What the review use cases share: the order a customer reviews, checked as theirs."""

from __future__ import annotations

from uuid import UUID

from fusionx.core.errors import NotFound
from fusionx.core.model.orders import Order
from fusionx.core.model.principals import CustomerSidePrincipal, Principal
from fusionx.core.model.shifts import Shift
from fusionx.core.rules.access import require_order_owner
from fusionx.ports.unit_of_work import UnitOfWork


async def owned_order(
    uow: UnitOfWork, principal: Principal, order_id: UUID
) -> tuple[Order, Shift, CustomerSidePrincipal]:
    """The order and its shift, if the caller is its customer (else 404, or 403 for
    staff and devices: see ``require_order_owner``)."""
    order = await uow.orders.get(order_id)
    shift = await uow.shifts.get(order.shift_id) if order else None
    if order is None or shift is None:
        raise NotFound("order", order_id)
    owner = require_order_owner(principal, order_id=order.id, customer_id=order.customer_id)
    return order, shift, owner
