"""The capacity rules as pure functions of the load and the time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusionx.core.errors import InvalidInput
from fusionx.core.model.capacity import CapacityLimits, PickupSlots, RecentOrder, Throttle
from fusionx.core.rules.capacity import (
    DEFAULT_PREP,
    check_limits,
    next_slot_with_room,
    promised_ready_at,
    slot_start,
    throttle_refusal,
)
from fusionx.core.rules.statistics import percentile_cont

NOON = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
QUARTERS = PickupSlots(slot_minutes=15, orders_per_slot=2)


def at(minutes: float) -> datetime:
    return NOON + timedelta(minutes=minutes)


def test_slots_fall_on_the_clock() -> None:
    assert slot_start(at(0), QUARTERS) == at(0)
    assert slot_start(at(14.99), QUARTERS) == at(0)
    assert slot_start(at(15), QUARTERS) == at(15)
    assert slot_start(at(-0.01), QUARTERS) == at(-15)


def test_the_next_slot_with_room_skips_full_ones() -> None:
    loads = {at(0): 2, at(15): 2, at(30): 1}

    assert next_slot_with_room(at(3), QUARTERS, loads) == at(30)
    assert next_slot_with_room(at(31), QUARTERS, loads) == at(30)
    assert next_slot_with_room(at(50), QUARTERS, loads) == at(45)


def test_the_order_throttle_refuses_one_more_and_says_when_room_comes() -> None:
    throttle = Throttle(window_minutes=10, max_orders=3)
    recent = [RecentOrder(at=at(m), items=1) for m in (1, 4, 8)]

    refusal = throttle_refusal(throttle, recent, at(9), items=1)

    assert refusal is not None
    assert (refusal.limit, refusal.maximum) == ("orders_per_window", 3)
    assert refusal.free_at == at(11)  # the order of 12:01 leaves the window
    assert throttle_refusal(throttle, recent, at(11), items=1) is None


def test_the_item_throttle_counts_what_the_kitchen_feels() -> None:
    throttle = Throttle(window_minutes=10, max_items=10)
    recent = [RecentOrder(at=at(1), items=6), RecentOrder(at=at(2), items=3)]

    assert throttle_refusal(throttle, recent, at(5), items=1) is None
    refusal = throttle_refusal(throttle, recent, at(5), items=4)
    assert refusal is not None
    assert (refusal.limit, refusal.maximum, refusal.free_at) == ("items_per_window", 10, at(11))
    # Even both leaving does not make room for an order larger than the limit.
    too_big = throttle_refusal(throttle, recent, at(5), items=11)
    assert too_big is not None
    assert too_big.free_at is None


@given(
    gaps=st.lists(st.integers(min_value=0, max_value=600), min_size=0, max_size=30),
    sizes=st.lists(st.integers(min_value=1, max_value=5), min_size=30, max_size=30),
    items=st.integers(min_value=1, max_value=5),
)
def test_room_comes_exactly_when_the_throttle_says(
    gaps: list[int], sizes: list[int], items: int
) -> None:
    throttle = Throttle(window_minutes=10, max_orders=5, max_items=12)
    moments = [NOON + timedelta(seconds=sum(gaps[: n + 1])) for n in range(len(gaps))]
    recent = [RecentOrder(at=m, items=s) for m, s in zip(moments, sizes, strict=False)]
    now = (moments[-1] if moments else NOON) + timedelta(seconds=1)

    refusal = throttle_refusal(throttle, recent, now, items)

    if refusal is not None and refusal.free_at is not None:
        assert refusal.free_at > now
        assert throttle_refusal(throttle, recent, refusal.free_at, items) is None
        just_before = refusal.free_at - timedelta(microseconds=1)
        assert throttle_refusal(throttle, recent, just_before, items) is not None


def test_a_promise_counts_the_queue_at_the_recent_pace() -> None:
    assert promised_ready_at(at(0), 0, ()) == at(0) + DEFAULT_PREP
    assert promised_ready_at(at(0), 2, (100.0, 200.0)) == at(0) + timedelta(seconds=450)
    # Only the ten latest prep times count.
    assert promised_ready_at(at(0), 0, (1000.0,) + (60.0,) * 10) == at(1)
    # Rounded up to the second.
    assert promised_ready_at(at(0), 0, (0.2,)) == at(0) + timedelta(seconds=1)


def test_percentiles_interpolate_like_postgresql() -> None:
    assert percentile_cont([], 0.9) is None
    assert percentile_cont([5.0], 0.9) == 5.0
    assert percentile_cont([10.0, 20.0], 0.9) == pytest.approx(19.0)
    assert percentile_cont([float(n) for n in range(1, 11)], 0.9) == pytest.approx(9.1)


@pytest.mark.parametrize(
    ("limits", "field"),
    [
        (CapacityLimits(throttle=Throttle(window_minutes=10)), "throttle"),
        (
            CapacityLimits(throttle=Throttle(window_minutes=0, max_orders=1)),
            "throttle.window_minutes",
        ),
        (CapacityLimits(throttle=Throttle(window_minutes=5, max_items=0)), "throttle.max_items"),
        (
            CapacityLimits(slots=PickupSlots(slot_minutes=7, orders_per_slot=1)),
            "slots.slot_minutes",
        ),
        (
            CapacityLimits(slots=PickupSlots(slot_minutes=15, orders_per_slot=0)),
            "slots.orders_per_slot",
        ),
    ],
)
def test_unacceptable_limits_name_their_field(limits: CapacityLimits, field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        check_limits(limits)
    assert error.value.field == field


def test_no_limits_and_sound_limits_pass() -> None:
    check_limits(CapacityLimits())
    check_limits(
        CapacityLimits(
            throttle=Throttle(window_minutes=15, max_orders=20, max_items=60),
            slots=PickupSlots(slot_minutes=10, orders_per_slot=8),
        )
    )
