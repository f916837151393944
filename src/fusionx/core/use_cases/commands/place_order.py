from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.errors import Conflict, InvalidInput
from fusionx.core.messages import Message, Moment
from fusionx.core.model.actors import actor_of
from fusionx.core.model.capacity import CapacityLimits
from fusionx.core.model.events import OrderAwaitingPayment, OrderCreated
from fusionx.core.model.menu import MenuItem
from fusionx.core.model.orders import ChosenModifier, Order, OrderChannel, OrderLine, OrderState
from fusionx.core.model.principals import Principal
from fusionx.core.model.shifts import Shift
from fusionx.core.model.stock import Shortage
from fusionx.core.model.tickets import Ticket
from fusionx.core.rules.access import require_operator
from fusionx.core.rules.modifiers import choose_modifiers
from fusionx.core.rules.order_prices import order_total, unit_price
from fusionx.core.rules.validation import require_email, require_phone, require_text
from fusionx.core.use_cases.steps.order_admission import (
    admit,
    limits_in_force,
    outlook,
    promised_from,
)
from fusionx.core.use_cases.steps.shift_menu import entries_for_order
from fusionx.core.use_cases.steps.shift_scope import log_event, log_stock_movement, shift_in_scope
from fusionx.core.use_cases.steps.stock_sales import sales_of
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork

MAX_LINES = 50
MAX_QUANTITY = 99


class OrderLineRequest(msgspec.Struct, frozen=True, kw_only=True):
    item_id: UUID
    quantity: int
    notes: str | None = None
    modifier_option_ids: tuple[UUID, ...] = ()


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
      chosen options' deltas (never below zero), and the options; the total is theirs,
      at most 1,000,000.00;
    - a customer name, phone and email may be given; the contact is for the staff only;
    - the shift's capacity (``order_admission``): an order that would break the
      throttle or find its pickup slot full is refused, naming the limit and the next
      slot with room; exact however many orders race, as the shift is held from then
      to commit (taken after the stock, the lock order every unit of work keeps). What
      needs no lock (menu, limits, kitchen load) is read before anything is held;
    - the order is promised a ready time from the queue ahead and recent prep times;
    - the order gets the shift's next number and a NEW ticket (version 1); the order,
      its ticket and every stock change are events on the shift;
    - an online order awaits payment instead: no stock is taken and no ticket opens
      until the payment gateway confirms it (``ReceivePaymentNotification``). It is
      refused only if the shift has too little stock right now.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal, request: PlaceOrderRequest) -> PlacedOrder:
        notes = self._check_shape(request)
        customer_name = (
            require_text("customer_name", request.customer_name, max_length=100)
            if request.customer_name
            else None
        )
        phone = request.customer_phone
        email = request.customer_email
        phone = require_phone(phone, "customer_phone") if phone else None
        email = require_email(email, "customer_email") if email else None
        now = self._clock.now()
        async with self._uow as uow:
            shift = await shift_in_scope(uow, principal, request.shift_id)
            actor = actor_of(require_operator(principal))
            if not shift.takes_orders:
                raise Conflict(
                    Message("shift.takes_no_orders", {"state": shift.state.value}),
                    state=shift.state.value,
                )
            items, options = await self._on_menu(uow, shift, request, now)
            lines = _snapshot(request, items, notes, options)
            draft = Order(
                id=self._ids.new_id(),
                shift_id=shift.id,
                number=0,  # numbered once the stock check passes
                channel=request.channel,
                lines=lines,
                total_cents=order_total(lines),
                created_at=now,
                created_by=actor,
                customer_name=customer_name,
                customer_phone=phone,
                customer_email=email,
            )
            if request.channel is OrderChannel.ONLINE:
                limits = await limits_in_force(uow, shift)
                pickup_at = await self._admit(uow, shift, limits, draft, request.pickup_at)
                waiting = msgspec.structs.replace(
                    draft, state=OrderState.AWAITING_PAYMENT, pickup_at=pickup_at
                )
                return PlacedOrder(
                    order=await self._await_payment(uow, waiting, items), ticket=None
                )
            # Read before anything is held: the rows locked below stay locked to commit.
            limits, load = await outlook(uow, shift)
            take = await uow.stock.take(sales_of(draft, self._ids, actor, now))
            if take.shortages:
                raise self._short(take.shortages, items)
            # After the stock: stock rows are always locked before the shift row.
            pickup_at = await self._admit(uow, shift, limits, draft, request.pickup_at)
            order = msgspec.structs.replace(
                draft,
                number=await uow.shifts.next_order_number(shift.id),
                pickup_at=pickup_at,
                promised_ready_at=promised_from(load, now=now, pickup_at=pickup_at),
            )
            ticket = Ticket.first_for(order, self._ids.new_id(), now)
            await uow.orders.add(order)
            await uow.tickets.add(ticket)
            # The stream reaches the kitchen's devices: the customer's contact stays out.
            shown = OrderCreated(order=order.without_contact(), ticket=ticket)
            await log_event(uow, shift.id, now, shown)
            for movement in take.taken:
                await log_stock_movement(uow, movement)
            await uow.commit()
        return PlacedOrder(order=order, ticket=ticket)

    @staticmethod
    async def _on_menu(
        uow: UnitOfWork, shift: Shift, request: PlaceOrderRequest, now: datetime
    ) -> tuple[dict[UUID, MenuItem], list[tuple[ChosenModifier, ...]]]:
        """Each line's item as this shift sells it (at the truck's price), and its options."""
        menu = await entries_for_order(uow, shift, now, {line.item_id for line in request.lines})
        items: dict[UUID, MenuItem] = {}
        options = []
        for index, line in enumerate(request.lines):
            entry = menu.get(line.item_id)
            if entry is None:
                raise InvalidInput(f"lines[{index}].item_id", Message("order.not_on_menu"))
            if not entry.available:
                field, available_from = f"lines[{index}].item_id", entry.available_from
                if available_from is None:
                    raise InvalidInput(field, Message("order.never_available"))
                when = Moment(available_from)
                raise InvalidInput(field, Message("order.available_from", {"when": when}))
            items[line.item_id] = entry.item
            options.append(
                choose_modifiers(
                    f"lines[{index}].modifiers", entry.modifier_groups, line.modifier_option_ids
                )
            )
        return items, options

    async def _await_payment(
        self, uow: UnitOfWork, draft: Order, items: dict[UUID, MenuItem]
    ) -> Order:
        """Keep an online order without touching stock; refuse it if it is short already."""
        levels = await uow.stock.levels(draft.shift_id)
        short = tuple(
            Shortage(item_id=item_id, requested=quantity, available=levels.get(item_id, 0))
            for item_id, quantity in draft.quantities.items()
            if levels.get(item_id, 0) < quantity
        )
        if short:
            raise self._short(short, items)
        order = msgspec.structs.replace(
            draft, number=await uow.shifts.next_order_number(draft.shift_id)
        )
        await uow.orders.add(order)
        awaiting = OrderAwaitingPayment(order=order.without_contact())
        await log_event(uow, order.shift_id, order.created_at, awaiting)
        await uow.commit()
        return order

    @staticmethod
    async def _admit(
        uow: UnitOfWork,
        shift: Shift,
        limits: CapacityLimits,
        draft: Order,
        pickup_at: datetime | None,
    ) -> datetime | None:
        return await admit(
            uow,
            shift,
            limits,
            now=draft.created_at,
            items=draft.item_count,
            channel=draft.channel,
            pickup_at=pickup_at,
        )

    @staticmethod
    def _check_shape(request: PlaceOrderRequest) -> list[str | None]:
        """Check the lines; return each line's cleaned notes."""
        if not 1 <= len(request.lines) <= MAX_LINES:
            raise InvalidInput("lines", Message("order.lines_count", {"high": MAX_LINES}))
        notes: list[str | None] = []
        for index, line in enumerate(request.lines):
            if not 1 <= line.quantity <= MAX_QUANTITY:
                raise InvalidInput(
                    f"lines[{index}].quantity",
                    Message("input.range", {"low": 1, "high": MAX_QUANTITY}),
                )
            notes.append(
                require_text(f"lines[{index}].notes", line.notes, max_length=500)
                if line.notes
                else None
            )
        return notes

    @staticmethod
    def _short(shortages: tuple[Shortage, ...], items: dict[UUID, MenuItem]) -> Conflict:
        named = [
            {
                "item_id": str(s.item_id),
                "name": items[s.item_id].name,
                "requested": s.requested,
                "available": s.available,
            }
            for s in shortages
        ]
        left = tuple(
            Message("order.item_left", {"item": items[s.item_id].name, "count": s.available})
            for s in shortages
        )
        return Conflict(Message("order.not_enough_stock", {"items": left}), shortages=named)


def _snapshot(
    request: PlaceOrderRequest,
    items: dict[UUID, MenuItem],
    notes: list[str | None],
    options: list[tuple[ChosenModifier, ...]],
) -> tuple[OrderLine, ...]:
    """The lines as ordered, with each item's name and price (plus its options') now."""
    return tuple(
        OrderLine(
            item_id=line.item_id,
            name=items[line.item_id].name,
            unit_price_cents=unit_price(
                f"lines[{index}].modifiers", items[line.item_id].price_cents, chosen
            ),
            quantity=line.quantity,
            notes=note,
            modifiers=chosen,
        )
        for index, (line, note, chosen) in enumerate(
            zip(request.lines, notes, options, strict=True)
        )
    )
