"""Holding stock for an order awaiting payment, and giving it back.

One rule for every online order, whoever places it (staff or a customer's checkout):
its units are taken when it is created, so the last units cannot be sold twice and a
cart the shift cannot serve is refused before any payment is asked for. The hold ends
when the order is paid (the units stay sold), when its payment fails or is cancelled,
or when it is still unpaid after the hold period (``ReleaseLapsedHolds``): the units
go back on the shelf, and a payment arriving after that takes them again, or the
order needs a refund.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.actors import Actor
from fusionx.core.model.events import OrderAwaitingPayment
from fusionx.core.model.menu import MenuItem
from fusionx.core.model.orders import Order, OrderState
from fusionx.core.model.shifts import Shift
from fusionx.core.model.stock import StockMovement, StockReason
from fusionx.core.use_cases.steps.cart_pricing import shortage_conflict
from fusionx.core.use_cases.steps.order_admission import admit, limits_in_force
from fusionx.core.use_cases.steps.shift_scope import log_event, log_stock_movement
from fusionx.core.use_cases.steps.stock_sales import sales_of
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


async def hold_for_payment(
    uow: UnitOfWork,
    shift: Shift,
    draft: Order,
    items: dict[UUID, MenuItem],
    ids: IdGenerator,
    *,
    pickup_at: datetime | None,
) -> Order:
    """Add ``draft`` as an order awaiting payment, its stock taken and held for it.

    Stock first, all or nothing (409 naming each short item), then the shift's capacity
    (``admit``: the throttle and the pickup slot, and its number): the lock order every
    unit of work keeps (stock rows, then the shift row). Does not commit.
    """
    at = draft.created_at
    limits = await limits_in_force(uow, shift)
    take = await uow.stock.take(sales_of(draft, ids, draft.created_by, at))
    if take.shortages:
        raise shortage_conflict(take.shortages, items)
    admitted = await admit(
        uow,
        shift,
        limits,
        now=at,
        items=draft.item_count,
        channel=draft.channel,
        pickup_at=pickup_at,
    )
    order = msgspec.structs.replace(
        draft,
        number=admitted.number,
        state=OrderState.AWAITING_PAYMENT,
        pickup_at=admitted.pickup_at,
        stock_held=True,
    )
    await uow.orders.add(order)
    await log_event(uow, shift.id, at, OrderAwaitingPayment(order=order.without_contact()))
    for movement in take.taken:
        await log_stock_movement(uow, movement)
    return order


async def release_hold(
    uow: UnitOfWork, ids: IdGenerator, order: Order, *, actor: Actor, at: datetime
) -> Order:
    """Give back the units ``order`` holds (RETURN movements, as events on its shift);
    it still awaits payment, holding nothing. Call with the order read for update; an
    order that holds nothing is returned as it is. Does not commit."""
    if not order.stock_held or order.state is not OrderState.AWAITING_PAYMENT:
        return order
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
            await log_stock_movement(uow, movement)
    await uow.orders.set_stock_held(order.id, held=False)
    return msgspec.structs.replace(order, stock_held=False)
