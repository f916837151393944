"""Taxes per location: one rounding per order, half up, the same for every channel."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusionx.core.errors import InvalidInput, InvalidInputs
from fusionx.core.model.orders import OrderChannel, OrderLine
from fusionx.core.model.staff import Role
from fusionx.core.rules.order_prices import MAX_TAX_RATE_BP, half_up, order_money, tax_of
from fusionx.core.use_cases.commands.change_location import (
    ChangeLocation,
    ChangeLocationRequest,
)
from fusionx.core.use_cases.commands.place_order import (
    OrderLineRequest,
    PlaceOrder,
    PlaceOrderRequest,
)
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import as_principal, make_staff, open_shift_world

ITEM = uuid4()
rates = st.integers(min_value=0, max_value=MAX_TAX_RATE_BP)
cents = st.integers(min_value=0, max_value=100_000_000)


def lines_of(*totals: int) -> tuple[OrderLine, ...]:
    return tuple(
        OrderLine(item_id=ITEM, name="x", unit_price_cents=total, quantity=1) for total in totals
    )


def decimal_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize(
    ("subtotal", "rate", "inclusive", "tax", "total"),
    [
        (1000, 825, False, 83, 1083),  # 82.5 rounds half up
        (1000, 800, False, 80, 1080),
        (999, 825, False, 82, 1081),  # 82.4175
        (1200, 2000, True, 200, 1200),  # 20 % VAT in 12.00: 2.00
        (1000, 2000, True, 167, 1000),  # 166.67
        (1000, 0, False, 0, 1000),  # untaxed: the total is the subtotal, as it always was
        (0, 825, False, 0, 0),
    ],
)
def test_worked_examples(subtotal, rate, inclusive, tax, total) -> None:
    money = order_money(lines_of(subtotal), rate_bp=rate, inclusive=inclusive)

    assert (money.subtotal_cents, money.tax_cents, money.total_cents) == (subtotal, tax, total)


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=10**6))
def test_half_up_is_decimal_half_up(numerator: int, denominator: int) -> None:
    assert half_up(numerator, denominator) == decimal_half_up(
        Decimal(numerator) / Decimal(denominator)
    )


@given(cents, rates)
def test_exclusive_tax_is_the_rate_of_the_subtotal_rounded_once(subtotal: int, rate: int) -> None:
    money = order_money(lines_of(subtotal), rate_bp=rate)

    assert money.tax_cents == decimal_half_up(Decimal(subtotal) * rate / 10_000)
    assert money.total_cents == subtotal + money.tax_cents


@given(cents, rates)
def test_inclusive_tax_is_inside_the_total(subtotal: int, rate: int) -> None:
    money = order_money(lines_of(subtotal), rate_bp=rate, inclusive=True)

    assert money.total_cents == subtotal
    assert 0 <= money.tax_cents <= subtotal
    # The net, taxed again exclusively, gives the tax back within the cent of rounding.
    net = subtotal - money.tax_cents
    assert abs(tax_of(net, rate_bp=rate, inclusive=False) - money.tax_cents) <= 1


@given(st.lists(st.integers(min_value=0, max_value=1_000_000), min_size=1, max_size=20), rates)
def test_the_tax_does_not_depend_on_how_the_cart_is_split_into_lines(
    totals: list[int], rate: int
) -> None:
    split = order_money(lines_of(*totals), rate_bp=rate)
    whole = order_money(lines_of(sum(totals)), rate_bp=rate)

    assert split == whole


@given(cents, rates, st.integers(min_value=-10, max_value=200_000_000), st.booleans())
def test_a_discount_never_takes_the_total_below_zero(
    subtotal: int, rate: int, discount: int, inclusive: bool
) -> None:
    money = order_money(
        lines_of(subtotal), rate_bp=rate, inclusive=inclusive, discount_cents=discount
    )

    assert 0 <= money.discount_cents <= subtotal
    assert money.total_cents >= 0
    taxable = subtotal - money.discount_cents
    assert money.total_cents == taxable + (0 if inclusive else money.tax_cents)


async def _taxed_world(adapters: Adapters, rate: int, *, inclusive: bool = False):
    world = await open_shift_world(adapters, stock=10, prices=(1000, 999))
    owner = await make_staff(adapters, role=Role.OWNER)
    await ChangeLocation(adapters.uow(), adapters.clock).execute(
        as_principal(owner),
        world.shift.location_id,
        ChangeLocationRequest(tax_rate_bp=rate, tax_inclusive=inclusive),
    )
    return world


@pytest.mark.parametrize("channel", list(OrderChannel))
async def test_every_channel_is_taxed_at_the_location_once_per_order(
    adapters: Adapters, channel: OrderChannel
) -> None:
    world = await _taxed_world(adapters, 825)
    lines = (
        OrderLineRequest(item_id=world.items[0].id, quantity=1),
        OrderLineRequest(item_id=world.items[1].id, quantity=1),
    )

    placed = await PlaceOrder(adapters.uow(), adapters.clock, adapters.ids).execute(
        world.principal, PlaceOrderRequest(shift_id=world.shift.id, lines=lines, channel=channel)
    )

    # 19.99 at 8.25 %: 1.649175, once on the order (per line it would be 0.83 + 0.82).
    order = placed.order
    assert (order.subtotal_cents, order.tax_cents, order.total_cents) == (1999, 165, 2164)
    assert (order.tax_rate_bp, order.tax_inclusive) == (825, False)


async def test_an_untaxed_location_charges_the_lines_sum(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, prices=(1000, 999))

    placed = await PlaceOrder(adapters.uow(), adapters.clock, adapters.ids).execute(
        world.principal,
        PlaceOrderRequest(
            shift_id=world.shift.id,
            lines=(OrderLineRequest(item_id=world.items[1].id, quantity=3),),
        ),
    )

    assert (placed.order.total_cents, placed.order.tax_cents) == (2997, 0)


@pytest.mark.parametrize("rate", [-1, MAX_TAX_RATE_BP + 1])
async def test_a_tax_rate_out_of_bounds_is_refused_naming_it(adapters: Adapters, rate: int) -> None:
    with pytest.raises((InvalidInput, InvalidInputs)) as error:
        await _taxed_world(adapters, rate)

    raised = error.value
    fields = (
        [e.field for e in raised.errors] if isinstance(raised, InvalidInputs) else [raised.field]
    )
    assert fields == ["tax_rate_bp"]
