"""The analytics scenario's year holds the orders it was asked for, however few."""

from __future__ import annotations

import random

import pytest
from bench.orders_owed import OrdersOwed


@pytest.mark.parametrize("orders", [0, 500, 2_000, 2_000_000])
def test_the_years_shifts_take_the_orders_asked_for(orders: int) -> None:
    shifts = 50 * 365  # the scenario's year of 50 trucks
    owed = OrdersOwed(orders / shifts)
    rng = random.Random(2026)

    taken = [owed.next_shift(rng) for _ in range(shifts)]

    assert min(taken) >= 0
    assert sum(taken) == pytest.approx(orders, rel=0.01, abs=1)
