"""What an order knows of itself: units per item, what was paid, what may be refunded."""

from __future__ import annotations

from uuid import UUID

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusionx.core.model.orders import Order, OrderChannel, OrderLine
from tests.support.entities import an_order, new_id

ITEMS = sorted(new_id() for _ in range(4))


def _with_lines(*lines: tuple[UUID, int, int], **changes: object) -> Order:
    order_lines = tuple(
        OrderLine(item_id=item, name="Taco", unit_price_cents=price, quantity=quantity)
        for item, quantity, price in lines
    )
    return msgspec.structs.replace(
        an_order(new_id(), []),
        lines=order_lines,
        total_cents=sum(line.total_cents for line in order_lines),
        **changes,
    )


def test_quantities_add_up_an_items_lines_in_item_order() -> None:
    first, second, third = ITEMS[:3]
    order = _with_lines((third, 1, 500), (first, 2, 300), (third, 4, 550), (second, 1, 200))

    assert list(order.quantities.items()) == [(first, 2), (second, 1), (third, 5)]
    assert order.item_count == 8


def test_an_order_without_lines_has_no_units() -> None:
    order = _with_lines()

    assert (order.quantities, order.item_count) == ({}, 0)


@given(
    st.lists(
        st.tuples(st.sampled_from(ITEMS), st.integers(1, 99), st.integers(0, 5000)),
        max_size=12,
    )
)
def test_quantities_always_sum_to_the_lines(lines: list[tuple[UUID, int, int]]) -> None:
    order = _with_lines(*lines)

    assert sum(order.quantities.values()) == order.item_count
    assert order.item_count == sum(quantity for _, quantity, _ in lines)
    assert set(order.quantities) == {item for item, _, _ in lines}
    assert list(order.quantities) == sorted(order.quantities)


def test_a_window_order_is_paid_its_total_whatever_a_gateway_says() -> None:
    order = _with_lines((ITEMS[0], 2, 450))

    assert order.paid_cents(None) == order.paid_cents(10) == 900


@pytest.mark.parametrize(("taken", "paid"), [(None, 0), (0, 0), (600, 600), (1200, 1200)])
def test_an_online_order_is_paid_what_the_gateway_took(taken: int | None, paid: int) -> None:
    order = _with_lines((ITEMS[0], 2, 450), channel=OrderChannel.ONLINE)

    assert order.paid_cents(taken) == paid


@pytest.mark.parametrize(
    ("paid", "refundable"), [(0, 0), (-5, 0), (600, 600), (900, 900), (1200, 900)]
)
def test_refundable_is_what_was_paid_never_more_than_the_lines(paid: int, refundable: int) -> None:
    order = _with_lines((ITEMS[0], 2, 450))

    assert order.refundable_cents(paid) == refundable
    assert order.refundable_cents(paid, refunded=100) == refundable - 100


def test_units_left_per_line_after_what_was_refunded() -> None:
    order = _with_lines((ITEMS[0], 2, 450), (ITEMS[1], 3, 100), (ITEMS[0], 1, 450))

    assert order.units_left({}) == [2, 3, 1]
    assert order.units_left({1: 2, 2: 1}) == [2, 1, 0]
