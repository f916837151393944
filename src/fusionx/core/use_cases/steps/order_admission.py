"""Whether a shift's kitchen can take an order now, and when it will be ready.

Called by PlaceOrder inside its unit of work. ``admit`` holds the shift row, taking the
order's number with it (``hold_for_order``), until the unit ends before it reads the
load: orders to one shift
are admitted one at a time, so the counts a decision is made on cannot change under
it, however many orders race. Units of work lock stock rows before the shift row, so
PlaceOrder calls it after taking stock.

What does not need the shift held is read before, to hold it for as little as
possible: the limits in force (an order racing a change of limits is judged by the
limits it found, as if it came just before the change) and the kitchen's load for the
promise, an estimate.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import msgspec

from fusionx.core.errors import CapacityFull, Conflict, InvalidInput
from fusionx.core.messages import Message, Moment, Param
from fusionx.core.model.capacity import CapacityLimits, KitchenLoad, PickupSlots
from fusionx.core.model.orders import OrderChannel
from fusionx.core.model.shifts import Shift
from fusionx.core.rules.capacity import (
    next_slot_with_room,
    promised_ready_at,
    slot_start,
    throttle_refusal,
)
from fusionx.ports.unit_of_work import UnitOfWork

# How far ahead a pickup time may be asked for.
MAX_PICKUP_AHEAD = timedelta(hours=24)


async def limits_in_force(uow: UnitOfWork, shift: Shift) -> CapacityLimits:
    """The shift's own limits, else its truck's defaults, else none."""
    setting = await uow.capacity.in_force(shift.id, shift.truck_id)
    return setting.limits if setting else CapacityLimits()


class Admission(msgspec.Struct, frozen=True, kw_only=True):
    """An admitted order's number, and its pickup slot start (or ``pickup_at`` as asked
    when the shift has no slots)."""

    number: int
    pickup_at: datetime | None


async def admit(
    uow: UnitOfWork,
    shift: Shift,
    limits: CapacityLimits,
    *,
    now: datetime,
    items: int,
    channel: OrderChannel,
    pickup_at: datetime | None,
) -> Admission:
    """Hold the shift and take the order's number; check the throttle and the pickup
    slot. Raise CapacityFull (the unit must then roll back, handing the number back).

    The throttle paces what the kitchen must start now: orders wanted as soon as
    possible or for a pickup inside its window. An order for a later pickup is held to
    its slot only, so a throttled order is offered the first slot with room after the
    window, where it is sure to fit, besides ``retry_at`` for as soon as possible.
    """
    throttle, slots = limits.throttle, limits.slots
    # Within the slot under way is not the past; without slots, a minute of clock skew.
    earliest = slot_start(now, slots) if slots else now - timedelta(minutes=1)
    if pickup_at is not None and not earliest <= pickup_at <= now + MAX_PICKUP_AHEAD:
        raise InvalidInput("pickup_at", Message("order.pickup_window"))
    found = await uow.shifts.hold_for_order(shift.id)
    if found is None or not found[0].takes_orders:
        state = found[0].state.value if found else "closed"
        raise Conflict(Message("shift.takes_no_orders", {"state": state}), state=state)
    number = found[1]
    wanted_at = pickup_at or now
    bypass = throttle is not None and throttle.window_orders_bypass
    if (
        throttle
        and wanted_at < now + throttle.window
        and not (bypass and channel is OrderChannel.WINDOW)
    ):
        recent = await uow.capacity.recent_orders(shift.id, now - throttle.window)
        refusal = throttle_refusal(throttle, recent, now, items)
        if refusal is not None:
            orders = refusal.limit == "orders_per_window"
            limit: dict[str, Param] = {
                "count": refusal.maximum,
                "minutes": throttle.window_minutes,
            }
            next_slot = None
            if refusal.free_at is None:
                detail = Message(
                    "capacity.orders_never_fit" if orders else "capacity.items_never_fit", limit
                )
            elif slots is not None:
                after_window = _first_slot_from(now + throttle.window, slots)
                next_slot = await _free_slot(uow, shift, slots, after_window)
                detail = Message(
                    "capacity.orders_next_slot" if orders else "capacity.items_next_slot",
                    limit | {"next": Moment(next_slot[0], "time")},
                )
            else:
                detail = Message(
                    "capacity.orders_room_at" if orders else "capacity.items_room_at",
                    limit | {"at": Moment(refusal.free_at, "time")},
                )
            raise CapacityFull(
                detail,
                limit=refusal.limit,
                maximum=refusal.maximum,
                next_slot=next_slot,
                retry_at=refusal.free_at,
                retry_after_seconds=_seconds_until(refusal.free_at, now),
            )
    if slots is None:
        return Admission(number=number, pickup_at=pickup_at)
    wanted = slot_start(wanted_at, slots)
    loads = await uow.capacity.slot_loads(shift.id, wanted)
    if loads.get(wanted, 0) >= slots.orders_per_slot:
        start = next_slot_with_room(wanted, slots, loads)
        raise CapacityFull(
            Message(
                "capacity.slot_full",
                {
                    "slot": Moment(wanted, "time"),
                    "count": slots.orders_per_slot,
                    "next": Moment(start, "time"),
                },
            ),
            limit="orders_per_slot",
            maximum=slots.orders_per_slot,
            next_slot=(start, start + slots.length),
            retry_at=start,
            retry_after_seconds=_seconds_until(start, now),
        )
    return Admission(number=number, pickup_at=wanted)


def _first_slot_from(moment: datetime, slots: PickupSlots) -> datetime:
    """The first slot starting at or after ``moment``."""
    start = slot_start(moment, slots)
    return start if start == moment else start + slots.length


def _seconds_until(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(1, math.ceil((moment - now).total_seconds()))


async def _free_slot(
    uow: UnitOfWork, shift: Shift, slots: PickupSlots, earliest: datetime
) -> tuple[datetime, datetime]:
    loads = await uow.capacity.slot_loads(shift.id, slot_start(earliest, slots))
    start = next_slot_with_room(earliest, slots, loads)
    return start, start + slots.length


async def promise(
    uow: UnitOfWork, shift: Shift, *, now: datetime, pickup_at: datetime | None
) -> datetime:
    """When the order should be ready: after the open tickets ahead of it, at the
    shift's recent pace, and not before its pickup slot."""
    return promised_from(await uow.capacity.kitchen_load(shift.id), now=now, pickup_at=pickup_at)


def promised_from(load: KitchenLoad, *, now: datetime, pickup_at: datetime | None) -> datetime:
    """``promise`` from a load already read."""
    promised = promised_ready_at(now, load.queued_tickets, load.recent_prep_seconds)
    return max(promised, pickup_at) if pickup_at is not None else promised


async def free_slots(
    uow: UnitOfWork, shift: Shift, limits: CapacityLimits, *, now: datetime, count: int
) -> list[tuple[datetime, datetime]]:
    """The next ``count`` pickup slots with room (start, end), from the slot under way,
    within ``MAX_PICKUP_AHEAD``: what a customer may pick from. None when the shift has
    no slots (every order is as soon as possible). A slot shown free may fill before
    the order comes: ``admit`` decides then, naming the next slot with room."""
    slots = limits.slots
    if slots is None:
        return []
    start = slot_start(now, slots)
    loads = await uow.capacity.slot_loads(shift.id, start)
    found: list[tuple[datetime, datetime]] = []
    while len(found) < count and start <= now + MAX_PICKUP_AHEAD:
        if loads.get(start, 0) < slots.orders_per_slot:
            found.append((start, start + slots.length))
        start += slots.length
    return found
