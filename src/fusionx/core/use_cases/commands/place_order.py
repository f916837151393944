from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.errors import CapacityFull, Conflict, NotFound
from fusionx.core.messages import Message
from fusionx.core.model.actors import actor_of
from fusionx.core.model.events import OrderCreated
from fusionx.core.model.orders import Order, OrderChannel
from fusionx.core.model.principals import Principal
from fusionx.core.model.tickets import Ticket
from fusionx.core.rules.access import can_act_on_truck, require_operator
from fusionx.core.rules.capacity import THROTTLE_LIMITS
from fusionx.core.rules.order_prices import money_fields
from fusionx.core.rules.validation import require_email, require_phone, require_text
from fusionx.core.use_cases.steps.cart_pricing import (
    MAX_LINES,
    MAX_QUANTITY,
    OrderLineRequest,
    check_lines,
    price_lines,
    shortage_conflict,
)
from fusionx.core.use_cases.steps.order_admission import admit, promised_from
from fusionx.core.use_cases.steps.payment_holds import hold_for_payment
from fusionx.core.use_cases.steps.shift_menu import order_menu_of
from fusionx.core.use_cases.steps.shift_scope import log_event, log_stock_movement
from fusionx.core.use_cases.steps.stock_sales import sales_of
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork

__all__ = ["MAX_LINES", "MAX_QUANTITY", "OrderLineRequest", "PlaceOrder", "PlaceOrderRequest"]


class PlaceOrderRequest(msgspec.Struct, frozen=True, kw_only=True):
    shift_id: UUID
    lines: tuple[OrderLineRequest, ...]
    customer_name: str | None = None
    customer_phone: str | None = None
    customer_email: str | None = None
    channel: OrderChannel = OrderChannel.WINDOW
    # A wanted pickup time; as soon as possible when None.
    pickup_at: datetime | None = None


class PlacedOrder(msgspec.Struct, frozen=True, kw_only=True):
    """``ticket`` is None for an order awaiting payment: the kitchen does not see it yet."""

    order: Order
    ticket: Ticket | None


class PlaceOrder:
    """Take an order at the window and put its ticket on the kitchen display.

    Rules:
    - staff or a device of the shift's truck; the shift must be open (a paused or
      closed shift takes no orders);
    - 1 to 50 lines, each of an item on the shift's menu and available now (inside its
      availability windows), quantity 1 to 99, with options of the item's modifier
      groups: each group's minimum to maximum (a required group cannot be skipped);
    - stock for every line is taken in the same transaction, all or nothing: if any
      item is short, nothing is taken and the conflict names each short item and how
      many are left. Two orders racing for the last unit cannot both get it;
    - each line keeps a snapshot of the item's name, its price at this truck plus the
      chosen options' deltas (never below zero), and the options (``price_cart``, as a
      customer's quote and checkout price them); the subtotal is theirs, at most
      1,000,000.00; the total adds the location's tax where prices exclude it
      (``order_money``: one rounding per order, half up), whatever the channel;
    - a customer name, phone and email may be given; the contact is for the staff only;
    - the shift's capacity (``order_admission``): an order that would break the
      throttle or find its pickup slot full is refused, naming the limit and the next
      slot with room; exact however many orders race, as the shift is held from then
      to commit (taken after the stock, the lock order every unit of work keeps). What
      needs no lock (the shift, menu, limits, kitchen load) is read before anything is
      held, in one read (``order_intake``), before the caller's scope is checked: a
      caller out of scope gets the 404 of an unknown shift, having seen nothing;
    - a throttle refusal rolls the order back, then is counted on its own for the
      fleet's analytics (a full pickup slot is not a throttle refusal);
    - the order is promised a ready time from the queue ahead and recent prep times;
    - the order gets the shift's next number and a NEW ticket (version 1); the order,
      its ticket and every stock change are events on the shift;
    - an online order awaits payment instead: its stock is taken and held for it
      (``payment_holds``) and no ticket opens until the payment gateway confirms it
      (``ReceivePaymentNotification``); a failed payment or a lapsed hold gives it back.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal, request: PlaceOrderRequest) -> PlacedOrder:
        customer_name = (
            require_text("customer_name", request.customer_name, max_length=100)
            if request.customer_name
            else None
        )
        phone = request.customer_phone
        email = request.customer_email
        phone = require_phone(phone, "customer_phone") if phone else None
        email = require_email(email, "customer_email") if email else None
        check_lines(request.lines)
        now = self._clock.now()
        try:
            return await self._place(
                principal, request, now=now, customer_name=customer_name, phone=phone, email=email
            )
        except CapacityFull as refusal:
            if refusal.limit in THROTTLE_LIMITS:
                async with self._uow as uow:
                    await uow.analytics.count_refusal(request.shift_id, now)
                    await uow.commit()
            raise

    async def _place(
        self,
        principal: Principal,
        request: PlaceOrderRequest,
        *,
        now: datetime,
        customer_name: str | None,
        phone: str | None,
        email: str | None,
    ) -> PlacedOrder:
        async with self._uow as uow:
            # Read before anything is held: the rows locked below stay locked to commit.
            intake = await uow.shifts.order_intake(
                request.shift_id, {line.item_id for line in request.lines}
            )
            if intake is None or not can_act_on_truck(principal, intake.shift.truck_id):
                raise NotFound("shift", request.shift_id)
            shift = intake.shift
            actor = actor_of(require_operator(principal))
            if not shift.takes_orders:
                raise Conflict(
                    Message("shift.takes_no_orders", {"state": shift.state.value}),
                    state=shift.state.value,
                )
            cart = price_lines(order_menu_of(intake.menu, shift, now), request.lines)
            draft = Order(
                id=self._ids.new_id(),
                shift_id=shift.id,
                number=0,  # numbered once the stock check passes
                channel=request.channel,
                lines=cart.lines,
                created_at=now,
                created_by=actor,
                customer_name=customer_name,
                customer_phone=phone,
                customer_email=email,
                **money_fields(cart.money),
            )
            if request.channel is OrderChannel.ONLINE:
                waiting = await hold_for_payment(
                    uow, shift, draft, cart.items, self._ids, pickup_at=request.pickup_at
                )
                await uow.commit()
                return PlacedOrder(order=waiting, ticket=None)
            take = await uow.stock.take(sales_of(draft, self._ids, actor, now))
            if take.shortages:
                raise shortage_conflict(take.shortages, cart.items)
            # After the stock: stock rows are always locked before the shift row.
            admitted = await admit(
                uow,
                shift,
                intake.limits,
                now=now,
                items=draft.item_count,
                channel=draft.channel,
                pickup_at=request.pickup_at,
            )
            order = msgspec.structs.replace(
                draft,
                number=admitted.number,
                pickup_at=admitted.pickup_at,
                promised_ready_at=promised_from(intake.load, now=now, pickup_at=admitted.pickup_at),
            )
            ticket = Ticket.first_for(order, self._ids.new_id(), now)
            await uow.orders.add_with_ticket(order, ticket)
            # The stream reaches the kitchen's devices: the customer's contact stays out.
            shown = OrderCreated(order=order.without_contact(), ticket=ticket)
            await log_event(uow, shift.id, now, shown)
            for movement in take.taken:
                await log_stock_movement(uow, movement)
            await uow.commit()
        return PlacedOrder(order=order, ticket=ticket)
