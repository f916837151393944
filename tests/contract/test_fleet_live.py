"""The live fleet view's counts, alike on every backend: open shifts, the last hour's
orders across a truck's shifts, the open shift's queue and typical prep time, and the
devices gone quiet; only active trucks, only those asked for."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from fusionx.adapters.events.in_process_hub import InProcessEventHub
from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.events import OrderCreated
from fusionx.core.model.fleet_live import (
    LiveChange,
    LiveChangeKind,
    LiveShift,
    LiveSnapshot,
    QuietDevice,
    TruckActivity,
)
from fusionx.core.model.orders import OrderState
from fusionx.core.model.principals import Principal, StaffPrincipal
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.staff import Role
from fusionx.core.model.tickets import TicketState
from fusionx.core.use_cases.queries.follow_fleet_live import FollowFleetLive, Recheck
from fusionx.core.use_cases.steps.shift_scope import log_event
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import (
    T0,
    a_device,
    a_location,
    a_shift,
    a_staff_member,
    a_ticket,
    a_truck,
    an_order,
)
from tests.support.scenes import ShiftScene, a_shift_scene

NOW = T0 + timedelta(hours=5)
HOUR_AGO = NOW - timedelta(hours=1)


async def test_each_active_truck_is_counted_from_its_shifts_tickets_and_devices(
    uow_factory: UnitOfWorkFactory,
) -> None:
    busy, parked, retired = a_truck("A busy one"), a_truck("B parked"), a_truck("C", active=False)
    place, registrar = a_location(), a_staff_member()
    earlier = a_shift(
        busy.id, place.id, state=ShiftState.CLOSED, opened_at=T0, closed_at=NOW - timedelta(hours=2)
    )
    now_open = a_shift(
        busy.id, place.id, state=ShiftState.PAUSED, opened_at=NOW - timedelta(hours=1)
    )
    parked_shift = a_shift(
        parked.id,
        place.id,
        state=ShiftState.CLOSED,
        opened_at=T0,
        closed_at=NOW - timedelta(minutes=5),
    )
    orders = [
        # Counted: in the hour, reached the kitchen, on either of a truck's shifts.
        an_order(now_open.id, [], number=1, created_at=HOUR_AGO),
        an_order(now_open.id, [], number=2, created_at=NOW - timedelta(minutes=1)),
        an_order(parked_shift.id, [], number=1, created_at=NOW - timedelta(minutes=30)),
        # Not: before the hour, or not in the kitchen.
        an_order(earlier.id, [], number=1, created_at=HOUR_AGO - timedelta(microseconds=1)),
        an_order(now_open.id, [], number=3, created_at=NOW, state=OrderState.AWAITING_PAYMENT),
        an_order(now_open.id, [], number=4, created_at=NOW, state=OrderState.NEEDS_REFUND),
    ]
    # The open shift's kitchen: two queued, and twelve made whose latest ten count.
    made = [
        an_order(now_open.id, [], number=10 + n, created_at=T0 + timedelta(minutes=n))
        for n in range(12)
    ]
    tickets = [
        a_ticket(orders[0], state=TicketState.NEW),
        a_ticket(orders[1], state=TicketState.IN_PREP, prep_at=NOW),
        *[
            a_ticket(
                order,
                state=TicketState.COMPLETED,
                prep_at=T0 + timedelta(minutes=n),
                ready_at=T0 + timedelta(minutes=n, seconds=60 + 10 * n),
            )
            for n, order in enumerate(made)
        ],
    ]
    quiet = a_device(busy.id, registrar.id, label="Pass", last_seen_at=NOW - timedelta(minutes=3))
    quieter = a_device(busy.id, registrar.id, label="Grill", last_seen_at=T0)
    others = [
        a_device(busy.id, registrar.id, last_seen_at=NOW),  # fresh
        a_device(busy.id, registrar.id, last_seen_at=None),  # never seen: not started
        a_device(busy.id, registrar.id, last_seen_at=T0, revoked_at=T0),  # gone
    ]
    async with uow_factory() as uow:
        for truck in (busy, parked, retired):
            await uow.trucks.add(truck)
        await uow.locations.add(place)
        await uow.staff.add(registrar)
        for shift in (earlier, now_open, parked_shift):
            await uow.shifts.add(shift)
        for order in [*orders, *made]:
            await uow.orders.add(order)
        for ticket in tickets:
            await uow.tickets.add(ticket)
        for device in (quiet, quieter, *others):
            await uow.devices.add(device)
        await uow.commit()

    async with uow_factory() as uow:
        every = await uow.fleet_activity.trucks(
            None, orders_since=HOUR_AGO, seen_before=NOW - timedelta(minutes=2)
        )
        only_parked = await uow.fleet_activity.trucks(
            [parked.id, retired.id], orders_since=HOUR_AGO, seen_before=NOW
        )
        none = await uow.fleet_activity.trucks([], orders_since=HOUR_AGO, seen_before=NOW)

    latest_ten = [60 + 10 * n for n in range(2, 12)]
    assert every == [
        TruckActivity(
            truck_id=busy.id,
            truck_name="A busy one",
            shift=LiveShift(
                id=now_open.id,
                location_id=place.id,
                state=ShiftState.PAUSED,
                opened_at=now_open.opened_at,
            ),
            orders_last_hour=2,
            queued_tickets=2,
            typical_prep_seconds=sum(latest_ten) / 10,
            quiet_devices=(
                QuietDevice(id=quieter.id, label="Grill", last_seen_at=T0),
                QuietDevice(id=quiet.id, label="Pass", last_seen_at=quiet.last_seen_at),
            ),
        ),
        TruckActivity(
            truck_id=parked.id,
            truck_name="B parked",
            shift=None,
            orders_last_hour=1,
            queued_tickets=0,
            typical_prep_seconds=None,
            quiet_devices=(),
        ),
    ]
    assert only_parked == [every[1]]
    assert none == []


async def test_an_order_committed_reaches_the_trucks_stream_within_a_second_only(
    uow_factory_with_bus: UnitOfWorkFactory, hub: InProcessEventHub
) -> None:
    """The stream on each backend: the order's commit publishes its event on the bus, the
    stream re-reads its truck from the database; another truck's reader hears nothing."""
    units = uow_factory_with_bus
    taco, curry = await a_shift_scene(units), await a_shift_scene(units)
    clock = ManualClock(T0 + timedelta(minutes=1))
    follow = FollowFleetLive(units, hub, clock, timedelta(seconds=90))
    readers = {
        scene.truck.id: follow.open(_manager_of(scene), _never_refused(_manager_of(scene)))
        for scene in (taco, curry)
    }
    snapshots = {truck: await anext(stream) for truck, stream in readers.items()}
    waiting = {truck: asyncio.ensure_future(anext(stream)) for truck, stream in readers.items()}

    order = an_order(taco.shift.id, [taco.items[0]], created_at=T0)
    ticket = a_ticket(order)
    loop = asyncio.get_running_loop()
    committed_at = loop.time()
    async with units() as uow:
        await uow.orders.add(order)
        await uow.tickets.add(ticket)
        await log_event(uow, taco.shift.id, T0, OrderCreated(order=order, ticket=ticket))
        await uow.commit()
    change = await asyncio.wait_for(waiting[taco.truck.id], 1.0)
    took = loop.time() - committed_at
    await asyncio.sleep(0.1)

    assert all(isinstance(s, LiveSnapshot) for s in snapshots.values())
    assert isinstance(change, LiveChange)
    assert took < 1.0
    assert (change.kind, change.truck_id) == (LiveChangeKind.ORDERS_CHANGED, taco.truck.id)
    assert change.truck is not None
    assert (change.truck.orders_last_hour, change.truck.queued_tickets) == (1, 1)
    assert not waiting[curry.truck.id].done()
    for pending in waiting.values():
        pending.cancel()
        with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
            await pending
    for stream in readers.values():
        await stream.aclose()


def _manager_of(scene: ShiftScene) -> StaffPrincipal:
    staff = a_staff_member(role=Role.MANAGER, truck_ids=frozenset({scene.truck.id}))
    return StaffPrincipal(staff=staff, token_id=staff.id)


def _never_refused(principal: Principal) -> Recheck:
    async def recheck() -> Principal:
        return principal

    return recheck
