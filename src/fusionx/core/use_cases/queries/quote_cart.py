from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.orders import OrderLine
from fusionx.core.model.stock import Shortage
from fusionx.core.rules.order_prices import OrderMoney
from fusionx.core.use_cases.steps.cart_pricing import (
    OrderLineRequest,
    check_lines,
    price_cart,
    shortage_conflict,
)
from fusionx.core.use_cases.steps.order_admission import free_slots, limits_in_force
from fusionx.core.use_cases.steps.public_shift import ordering_shift
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork

# How many free pickup slots a quote offers.
SLOTS_OFFERED = 12


class QuoteRequest(msgspec.Struct, frozen=True, kw_only=True):
    truck_id: UUID
    lines: tuple[OrderLineRequest, ...]


class CartQuote(msgspec.Struct, frozen=True, kw_only=True):
    """The cart as the server prices it now, and the pickup slots with room. An empty
    ``pickup_slots``: the truck takes orders as soon as possible only."""

    truck_id: UUID
    shift_id: UUID
    lines: tuple[OrderLine, ...]
    money: OrderMoney
    currency: str
    pickup_slots: list[tuple[datetime, datetime]]
    quoted_at: datetime


class QuoteCart:
    """Price a customer's cart at a truck's open shift, as checkout would; anyone may ask.

    Rules:
    - the truck's shift must take orders (404 without one under way, 409 paused);
    - the lines are checked and priced as every order is (``price_cart``): items on the
      menu and available now, options within their groups, the truck's prices, the
      location's tax (one rounding per order, half up); never a price the client sent;
    - stock is checked, not taken: a cart the shift cannot serve now is 409 naming each
      short item, as checkout would answer; a quote reserves nothing;
    - the pickup slots offered are the next ones with room (``free_slots``).
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, currency: str) -> None:
        self._uow = uow
        self._clock = clock
        self._currency = currency

    async def execute(self, request: QuoteRequest) -> CartQuote:
        check_lines(request.lines)
        now = self._clock.now()
        async with self._uow as uow:
            shift = await ordering_shift(uow, request.truck_id)
            cart = await price_cart(uow, shift, request.lines, now)
            levels = await uow.stock.levels(shift.id)
            short = _shortages(cart.quantities, levels)
            if short:
                raise shortage_conflict(short, cart.items)
            limits = await limits_in_force(uow, shift)
            slots = await free_slots(uow, shift, limits, now=now, count=SLOTS_OFFERED)
        return CartQuote(
            truck_id=request.truck_id,
            shift_id=shift.id,
            lines=cart.lines,
            money=cart.money,
            currency=self._currency,
            pickup_slots=slots,
            quoted_at=now,
        )


def _shortages(wanted: dict[UUID, int], levels: dict[UUID, int]) -> Sequence[Shortage]:
    return [
        Shortage(item_id=item_id, requested=quantity, available=max(0, levels.get(item_id, 0)))
        for item_id, quantity in sorted(wanted.items())
        if levels.get(item_id, 0) < quantity
    ]
