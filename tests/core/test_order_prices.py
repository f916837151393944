"""Property: whatever the item's price, its options' deltas and the quantities, a line's
unit price is never negative and an order's total never beyond what an order can be;
an order that would break either is refused, naming the field, and takes no stock."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.payments.recording_gateway import RecordingPaymentGateway
from fusionx.core.errors import Conflict, InvalidInput
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.orders import Order
from fusionx.core.model.staff import Role
from fusionx.core.rules.menu_values import MAX_PRICE_CENTS
from fusionx.core.rules.order_prices import MAX_ORDER_TOTAL_CENTS
from fusionx.core.use_cases.commands.add_modifier_group import (
    MAX_DELTA_CENTS,
    AddModifierGroup,
    AddModifierGroupRequest,
    OptionRequest,
)
from fusionx.core.use_cases.commands.change_menu_item import ChangeItemRequest, ChangeMenuItem
from fusionx.core.use_cases.commands.place_order import (
    MAX_LINES,
    MAX_QUANTITY,
    OrderLineRequest,
    PlaceOrder,
    PlaceOrderRequest,
)
from fusionx.core.use_cases.commands.refund_order import RefundOrder, RefundOrderRequest
from fusionx.entrypoints.bootstrap import Adapters, in_memory_adapters
from tests.factories import as_principal, make_staff, open_shift_world
from tests.support.entities import an_order

STOCK = MAX_LINES * MAX_QUANTITY


@settings(max_examples=60, deadline=None)
@given(
    price=st.integers(0, MAX_PRICE_CENTS),
    deltas=st.lists(st.integers(-MAX_DELTA_CENTS, MAX_DELTA_CENTS), min_size=1, max_size=4),
    picked=st.lists(st.booleans(), min_size=4, max_size=4),
    lines=st.integers(1, MAX_LINES),
    quantity=st.integers(1, MAX_QUANTITY),
)
def test_unit_prices_and_totals_stay_within_bounds(
    price: int, deltas: list[int], picked: list[bool], lines: int, quantity: int
) -> None:
    chosen = [delta for delta, pick in zip(deltas, picked, strict=False) if pick]
    unit = price + sum(chosen)
    total = unit * quantity * lines
    expected = (
        "lines[0].modifiers" if unit < 0 else "lines" if total > MAX_ORDER_TOTAL_CENTS else None
    )

    placed, refused, on_hand = asyncio.run(_order(price, deltas, picked, lines, quantity))

    assert refused == expected
    if placed is not None:
        assert [line.unit_price_cents for line in placed.lines] == [unit] * lines
        assert placed.total_cents == total >= 0
    assert on_hand == STOCK - (quantity * lines if placed else 0)


async def _order(
    price: int, deltas: list[int], picked: list[bool], lines: int, quantity: int
) -> tuple[Order | None, str | None, int]:
    a = in_memory_adapters(ManualClock(datetime(2026, 1, 5, 12, tzinfo=UTC)))
    world = await open_shift_world(a, stock=STOCK, prices=(price,))
    owner = as_principal(await make_staff(a, role=Role.OWNER))
    options = tuple(
        OptionRequest(name=f"Option {n}", price_delta_cents=d) for n, d in enumerate(deltas)
    )
    group = await AddModifierGroup(a.uow(), a.clock, a.ids).execute(
        owner,
        AddModifierGroupRequest(
            name="Extras", options=options, min_choices=0, max_choices=len(options)
        ),
    )
    [item] = world.items
    await ChangeMenuItem(a.uow(), a.clock).execute(
        owner, ChangeItemRequest(item_id=item.id, modifier_group_ids=(group.id,))
    )
    ids = tuple(o.id for o, pick in zip(group.options, picked, strict=False) if pick)
    line = OrderLineRequest(item_id=item.id, quantity=quantity, modifier_option_ids=ids)
    request = PlaceOrderRequest(shift_id=world.shift.id, lines=(line,) * lines)
    placed, refused = None, None
    try:
        placed = (await PlaceOrder(a.uow(), a.clock, a.ids).execute(world.principal, request)).order
    except InvalidInput as error:
        refused = error.field
    async with a.uow() as uow:
        on_hand = (await uow.stock.levels(world.shift.id)).get(item.id, 0)
    return placed, refused, on_hand


async def test_an_order_already_worth_less_than_nothing_is_never_refunded(
    adapters: Adapters,
) -> None:
    """A line priced below zero, kept before prices were checked: refunding it would send
    money the wrong way. It is refused, and nothing goes to the gateway."""
    world = await open_shift_world(adapters)
    order = an_order(world.shift.id, [world.items[0]])
    line = msgspec.structs.replace(order.lines[0], unit_price_cents=-98_901_00)
    order = msgspec.structs.replace(order, lines=(line,), total_cents=line.total_cents)
    async with adapters.uow() as uow:
        await uow.orders.add(order)
        await uow.commit()
    gateway = RecordingPaymentGateway()
    refund = RefundOrder(adapters.uow, adapters.clock, adapters.ids, gateway)

    with pytest.raises(Conflict):
        await refund.execute(
            world.principal,
            RefundOrderRequest(order_id=order.id, reason=CancelReason.KITCHEN_ERROR),
        )
    assert gateway.refunds == []
