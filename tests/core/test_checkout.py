"""A customer's quote and checkout, and the stock an unpaid order holds, at use-case level
(in-memory adapters; the recording gateway, and a refusing one)."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import msgspec
import pytest

from fusionx.adapters.payments.recording_gateway import RecordingPaymentGateway
from fusionx.core.errors import Conflict, InvalidInput, NotFound
from fusionx.core.model.capacity import CapacityLimits, PickupSlots
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.orders import OrderChannel, OrderState
from fusionx.core.model.principals import CustomerPrincipal
from fusionx.core.use_cases.commands.check_out import CheckedOut, CheckOut, CheckoutRequest
from fusionx.core.use_cases.commands.release_lapsed_holds import ReleaseLapsedHolds
from fusionx.core.use_cases.commands.set_capacity import SetCapacity, SetCapacityRequest
from fusionx.core.use_cases.queries.quote_cart import QuoteCart, QuoteRequest
from fusionx.core.use_cases.steps.cart_pricing import OrderLineRequest
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.ports.payment_errors import GatewayUnavailable, PaymentDeclined
from fusionx.ports.payment_gateway import PaymentIntent, PaymentIntentRequest
from tests.factories import ShiftWorld, open_shift_world

LOCALES = ("en", "es", "fr")


class RefusingGateway:
    """A ``PaymentGateway`` that answers every intent with ``error``, and counts them."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.asked: list[PaymentIntentRequest] = []

    async def create_intent(self, request: PaymentIntentRequest) -> PaymentIntent:
        self.asked.append(request)
        raise self.error

    async def get_intent(self, intent_id: str) -> PaymentIntent:
        raise self.error from KeyError(intent_id)

    async def cancel_intent(self, intent_id: str) -> PaymentIntent:
        raise self.error from KeyError(intent_id)


def checkout(adapters: Adapters, gateway: object | None = None) -> CheckOut:
    return CheckOut(
        adapters.uow,
        adapters.clock,
        adapters.ids,
        gateway or adapters.payments,  # type: ignore[arg-type]
        adapters.tracking,
        currency="eur",
        locales=LOCALES,
    )


def request(world: ShiftWorld, *lines: tuple[int, int], **fields: object) -> CheckoutRequest:
    values: dict[str, object] = {"customer_name": "Ana", "customer_phone": "+44 7700 900123"}
    return CheckoutRequest(
        truck_id=world.truck.id,
        lines=tuple(OrderLineRequest(item_id=world.items[i].id, quantity=q) for i, q in lines),
        **(values | fields),  # type: ignore[arg-type]
    )


async def on_hand(adapters: Adapters, world: ShiftWorld) -> list[int]:
    async with adapters.uow() as uow:
        levels = await uow.stock.levels(world.shift.id)
    return [levels.get(item.id, 0) for item in world.items]


async def test_a_guest_checks_out_an_order_awaiting_payment_with_its_stock_held(
    adapters: Adapters,
) -> None:
    world = await open_shift_world(adapters, stock=5, prices=(850, 400))

    done = await checkout(adapters).execute(None, request(world, (0, 2), (1, 1)))

    order = done.order
    assert (order.channel, order.state, order.stock_held) == (
        OrderChannel.ONLINE,
        OrderState.AWAITING_PAYMENT,
        True,
    )
    assert (order.total_cents, order.customer_id) == (2100, None)
    assert (order.created_by.kind, order.created_by.id) == (PrincipalKind.CUSTOMER, order.id)
    assert await on_hand(adapters, world) == [3, 4]
    assert (done.intent.order_id, done.intent.amount_cents, done.intent.currency) == (
        order.id,
        2100,
        "eur",
    )
    assert done.intent.client_secret


async def test_a_signed_in_customer_owns_the_order(adapters: Adapters) -> None:
    world = await open_shift_world(adapters)
    customer = CustomerPrincipal(customer_id=uuid4(), token_id=uuid4())

    done = await checkout(adapters).execute(customer, request(world, (0, 1)))

    assert done.order.customer_id == customer.customer_id
    assert done.order.created_by.id == customer.customer_id
    async with adapters.uow() as uow:
        stored = await uow.orders.get(done.order.id)
    assert stored is not None
    assert stored.customer_id == customer.customer_id


async def test_the_quote_is_what_checkout_charges(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, prices=(850, 400))
    lines = (OrderLineRequest(item_id=world.items[0].id, quantity=3),)

    quote = await QuoteCart(adapters.uow(), adapters.clock, "eur").execute(
        QuoteRequest(truck_id=world.truck.id, lines=lines)
    )
    done = await checkout(adapters).execute(None, request(world, (0, 3)))

    assert quote.money.total_cents == done.order.total_cents == 2550
    assert quote.lines == done.order.lines
    assert await on_hand(adapters, world) == [7, 10]  # the quote held nothing


async def test_a_quote_names_what_is_short_and_offers_the_free_slots(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=2)
    await SetCapacity(adapters.uow(), adapters.clock).for_shift(
        world.principal,
        world.shift.id,
        SetCapacityRequest(
            limits=CapacityLimits(slots=PickupSlots(slot_minutes=15, orders_per_slot=1))
        ),
    )
    quote = QuoteCart(adapters.uow(), adapters.clock, "eur")
    wanted = (OrderLineRequest(item_id=world.items[0].id, quantity=3),)

    with pytest.raises(Conflict) as short:
        await quote.execute(QuoteRequest(truck_id=world.truck.id, lines=wanted))
    one = (OrderLineRequest(item_id=world.items[0].id, quantity=1),)
    first = await QuoteCart(adapters.uow(), adapters.clock, "eur").execute(
        QuoteRequest(truck_id=world.truck.id, lines=one)
    )
    await checkout(adapters).execute(
        None, request(world, (0, 1), pickup_at=first.pickup_slots[0][0])
    )
    after = await QuoteCart(adapters.uow(), adapters.clock, "eur").execute(
        QuoteRequest(
            truck_id=world.truck.id,
            lines=(OrderLineRequest(item_id=world.items[1].id, quantity=1),),
        )
    )

    assert short.value.context["shortages"][0]["available"] == 2
    assert len(first.pickup_slots) == 12
    assert after.pickup_slots[0] == first.pickup_slots[1]  # the first one is full now
    assert after.pickup_slots[0][1] - after.pickup_slots[0][0] == timedelta(minutes=15)


async def test_the_last_units_cannot_be_checked_out_twice(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=1)
    gateway = RecordingPaymentGateway()
    await checkout(adapters, gateway).execute(None, request(world, (0, 1)))

    with pytest.raises(Conflict):
        await checkout(adapters, gateway).execute(None, request(world, (0, 1)))

    assert len(gateway.intents) == 1  # the loser was refused before any charge


@pytest.mark.parametrize(
    "error", [GatewayUnavailable("down"), PaymentDeclined("no", code="card_declined")]
)
async def test_a_gateway_refusal_keeps_no_order_and_holds_nothing(
    adapters: Adapters, error: Exception
) -> None:
    world = await open_shift_world(adapters, stock=3)
    gateway = RefusingGateway(error)

    with pytest.raises(type(error)):
        await checkout(adapters, gateway).execute(None, request(world, (0, 2)))

    assert len(gateway.asked) == 1
    assert await on_hand(adapters, world) == [3, 3]
    # Nothing was kept: the next checkout is the shift's first order.
    assert (await checkout(adapters).execute(None, request(world, (0, 2)))).order.number == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"customer_phone": None}, "customer_phone"),  # neither phone nor email
        ({"customer_phone": "call me"}, "customer_phone"),
        ({"customer_phone": None, "customer_email": "ana.example"}, "customer_email"),
        ({"customer_name": "   "}, "customer_name"),
        ({"locale": "de"}, "locale"),
    ],
)
async def test_the_contact_and_locale_are_checked(
    adapters: Adapters, fields: dict[str, object], field: str
) -> None:
    world = await open_shift_world(adapters)

    with pytest.raises(InvalidInput) as error:
        await checkout(adapters).execute(None, request(world, (0, 1), **fields))

    assert error.value.field == field
    assert await on_hand(adapters, world) == [10, 10]


async def test_a_truck_without_a_shift_is_not_found(adapters: Adapters) -> None:
    world = await open_shift_world(adapters)

    with pytest.raises(NotFound):
        await checkout(adapters).execute(
            None, msgspec.structs.replace(request(world, (0, 1)), truck_id=uuid4())
        )


async def test_a_lapsed_hold_gives_the_units_back_once(adapters: Adapters, clock) -> None:
    world = await open_shift_world(adapters, stock=3)
    done: CheckedOut = await checkout(adapters).execute(None, request(world, (0, 2)))
    sweep = ReleaseLapsedHolds(adapters.uow, adapters.clock, adapters.ids, timedelta(minutes=15))

    assert await sweep.execute() == []  # not yet
    clock.advance(timedelta(minutes=15, seconds=1))
    assert await sweep.execute() == [done.order.id]
    assert await sweep.execute() == []  # once

    assert await on_hand(adapters, world) == [3, 3]
    async with adapters.uow() as uow:
        order = await uow.orders.get(done.order.id)
    assert order is not None
    assert (order.state, order.stock_held) == (OrderState.AWAITING_PAYMENT, False)
