"""Throttle, pickup-slot and promised-time rules: pure functions of the load and the time.

Slots are aligned on the clock in UTC (a 15-minute slot starts at :00, :15, :30, :45).
The throttle is a rolling window: an order is admitted if, with it, the orders (and the
items) received in the last ``window_minutes`` stay within the limits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.capacity import CapacityLimits, PickupSlots, RecentOrder, Throttle

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Used until the shift has finished a ticket of its own.
DEFAULT_PREP = timedelta(minutes=5)
# The limits a throttle refusal names (a full pickup slot is not one).
THROTTLE_LIMITS = frozenset({"orders_per_window", "items_per_window"})
# How many of the latest prep times a promise looks at.
RECENT_PREPS = 10


class ThrottleRefusal(msgspec.Struct, frozen=True, kw_only=True):
    """Which limit an order would break, and when there is room again (None: never,
    the order alone is larger than the limit)."""

    limit: str
    maximum: int
    free_at: datetime | None


def slot_start(at: datetime, slots: PickupSlots) -> datetime:
    """The start of the slot ``at`` falls in."""
    length = slots.length
    return _EPOCH + ((at - _EPOCH) // length) * length


def next_slot_with_room(
    earliest: datetime, slots: PickupSlots, loads: Mapping[datetime, int]
) -> datetime:
    """The first slot starting at or after ``earliest``'s slot that is not full."""
    start = slot_start(earliest, slots)
    while loads.get(start, 0) >= slots.orders_per_slot:
        start += slots.length
    return start


def throttle_refusal(
    throttle: Throttle, recent: Sequence[RecentOrder], now: datetime, items: int
) -> ThrottleRefusal | None:
    """None when an order of ``items`` items may come in at ``now``. When both limits
    refuse it, the one that keeps it out longer is named."""
    inside = sorted(
        (order for order in recent if order.at > now - throttle.window), key=lambda o: o.at
    )
    refusals = []
    if throttle.max_orders is not None and len(inside) + 1 > throttle.max_orders:
        # Room comes when enough of the oldest leave the window for one more.
        oldest_to_leave = inside[len(inside) - throttle.max_orders]
        refusals.append(
            ThrottleRefusal(
                limit="orders_per_window",
                maximum=throttle.max_orders,
                free_at=oldest_to_leave.at + throttle.window,
            )
        )
    if throttle.max_items is not None:
        load = sum(order.items for order in inside) + items
        if load > throttle.max_items:
            refusals.append(
                ThrottleRefusal(
                    limit="items_per_window",
                    maximum=throttle.max_items,
                    free_at=_items_free_at(inside, load, throttle, items),
                )
            )
    return max(refusals, key=_lateness, default=None)


def _lateness(refusal: ThrottleRefusal) -> datetime:
    return refusal.free_at or datetime.max.replace(tzinfo=UTC)


def _items_free_at(
    inside: Sequence[RecentOrder], load: int, throttle: Throttle, items: int
) -> datetime | None:
    if throttle.max_items is None or items > throttle.max_items:
        return None
    for order in inside:
        load -= order.items
        if load <= throttle.max_items:
            return order.at + throttle.window
    return None  # pragma: no cover - the loop empties the window first


def promised_ready_at(now: datetime, ahead: int, recent_prep_seconds: Sequence[float]) -> datetime:
    """When an order placed now should be ready: the tickets ahead of it and its own,
    each taking the shift's typical prep time (the mean of the latest ones, or
    ``DEFAULT_PREP`` before any is known). Rounded up to the second."""
    latest = list(recent_prep_seconds)[-RECENT_PREPS:]
    typical = timedelta(seconds=sum(latest) / len(latest)) if latest else DEFAULT_PREP
    promised = now + typical * (ahead + 1)
    return promised.replace(microsecond=0) + timedelta(seconds=1 if promised.microsecond else 0)


# Slot lengths must tile a day, so slots fall on the same clock times every day.
_DAY_MINUTES = 24 * 60


def check_limits(limits: CapacityLimits) -> None:
    """Raise InvalidInput naming the first unacceptable value."""
    if (throttle := limits.throttle) is not None:
        _within("throttle.window_minutes", throttle.window_minutes, 1, 240)
        if throttle.max_orders is None and throttle.max_items is None:
            raise InvalidInput("throttle", Message("capacity.throttle_needs_limit"))
        if throttle.max_orders is not None:
            _within("throttle.max_orders", throttle.max_orders, 1, 10_000)
        if throttle.max_items is not None:
            _within("throttle.max_items", throttle.max_items, 1, 100_000)
    if (slots := limits.slots) is not None:
        _within("slots.slot_minutes", slots.slot_minutes, 5, 240)
        if _DAY_MINUTES % slots.slot_minutes:
            raise InvalidInput("slots.slot_minutes", Message("capacity.slot_divides_day"))
        _within("slots.orders_per_slot", slots.orders_per_slot, 1, 10_000)


def _within(field: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise InvalidInput(field, Message("input.range", {"low": low, "high": high}))
