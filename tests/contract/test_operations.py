"""Capacity and summary repositories: the same answers on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import msgspec

from fusionx.core.model.capacity import CapacityLimits, CapacitySetting, PickupSlots, Throttle
from fusionx.core.model.menu import TruckMenuEntry
from fusionx.core.model.order_intake import OrderIntake
from fusionx.core.model.orders import Order
from fusionx.core.model.summary import BestSeller, DurationStats, OrderBucket
from fusionx.core.model.tickets import Ticket, TicketState
from fusionx.core.rules.capacity import RECENT_PREPS
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, an_actor, an_order, new_id
from tests.support.scenes import ShiftScene, a_shift_scene, with_tickets


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


async def _ordered(
    uow_factory: UnitOfWorkFactory, scene: ShiftScene, *specs: tuple[float, list[int]]
) -> list[tuple[Order, Ticket]]:
    """An order per (minute, item indexes): item i of a spec gets quantity position + 1."""
    orders = (
        an_order(
            scene.shift.id,
            [scene.items[i] for i in indexes],
            number=number,
            created_at=minutes(minute),
            pickup_at=minutes(minute).replace(second=0, microsecond=0),
        )
        for number, (minute, indexes) in enumerate(specs, start=1)
    )
    return await with_tickets(uow_factory, orders)


async def _moved(
    uow_factory: UnitOfWorkFactory, ticket: Ticket, *moves: tuple[TicketState, float]
) -> None:
    """The ticket moved as the kitchen would move it: the times each move stamps are the
    ticket's decision (``Ticket.move``), which the store keeps."""
    async with uow_factory() as uow:
        current = ticket
        for target, minute in moves:
            move = current.move(target, at=minutes(minute), actor=an_actor())
            assert await uow.tickets.save_move(move)
            current = move.after
        await uow.commit()


def _throttled() -> CapacitySetting:
    """A throttle of 30 items per 10 minutes, set at T0."""
    limits = CapacityLimits(throttle=Throttle(window_minutes=10, max_items=30))
    return CapacitySetting(limits=limits, updated_at=T0, updated_by=an_actor())


def _slotted() -> CapacitySetting:
    """Pickup slots of 4 orders per 15 minutes, set five minutes after T0."""
    limits = CapacityLimits(slots=PickupSlots(slot_minutes=15, orders_per_slot=4))
    return CapacitySetting(limits=limits, updated_at=minutes(5), updated_by=an_actor())


async def test_capacity_settings_are_replaced_whole(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory, items=0)
    first, second = _throttled(), _slotted()
    async with uow_factory() as uow:
        assert await uow.capacity.for_shift(scene.shift.id) is None
        assert await uow.capacity.for_truck(scene.truck.id) is None
        await uow.capacity.set_for_shift(scene.shift.id, first)
        await uow.capacity.set_for_truck(scene.truck.id, first)
        await uow.commit()
    async with uow_factory() as uow:
        await uow.capacity.set_for_shift(scene.shift.id, second)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.capacity.for_shift(scene.shift.id) == second
        assert await uow.capacity.for_truck(scene.truck.id) == first


async def test_the_limits_in_force_are_the_shifts_else_the_trucks(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory, items=0)
    truck, own = _throttled(), _slotted()
    async with uow_factory() as uow:
        assert await uow.capacity.in_force(scene.shift.id, scene.truck.id) is None
        await uow.capacity.set_for_truck(scene.truck.id, truck)
        assert await uow.capacity.in_force(scene.shift.id, scene.truck.id) == truck
        assert (await uow.capacity.outlook(scene.shift.id, scene.truck.id))[0] == truck
        await uow.capacity.set_for_shift(scene.shift.id, own)
        assert await uow.capacity.in_force(scene.shift.id, scene.truck.id) == own
        assert (await uow.capacity.outlook(scene.shift.id, scene.truck.id))[0] == own
        assert (await uow.capacity.outlook(new_id(), new_id()))[0] is None
        await uow.commit()


async def test_the_kitchen_load_keeps_the_latest_preps_oldest_first(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    placed = await _ordered(uow_factory, scene, *((n, [0]) for n in range(RECENT_PREPS + 3)))
    async with uow_factory() as uow:
        idle = await uow.capacity.kitchen_load(scene.shift.id)
    for n, (_, ticket) in enumerate(placed[:-1]):
        start = 100 + 10 * n
        await _moved(
            uow_factory, ticket, (TicketState.IN_PREP, start), (TicketState.READY, start + 1 + n)
        )

    async with uow_factory() as uow:
        kitchen = await uow.capacity.kitchen_load(scene.shift.id)
        setting, seen = await uow.capacity.outlook(scene.shift.id, scene.truck.id)

    assert (setting, seen) == (None, kitchen)
    assert (idle.queued_tickets, idle.recent_prep_seconds) == (RECENT_PREPS + 3, ())
    assert kitchen.queued_tickets == 1
    done = len(placed) - 1
    assert kitchen.recent_prep_seconds == tuple(
        60.0 * (1 + n) for n in range(done - RECENT_PREPS, done)
    )


async def test_an_order_intake_is_the_shift_its_menu_excerpt_and_capacity_outlook(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    (_, cooked), _ = await _ordered(uow_factory, scene, (0, [0]), (1, [1]))
    await _moved(uow_factory, cooked, (TicketState.IN_PREP, 2), (TicketState.READY, 5))
    sold = scene.items[1]
    async with uow_factory() as uow:
        await uow.capacity.set_for_truck(scene.truck.id, _throttled())
        entry = TruckMenuEntry(item_id=sold.id, price_cents=250)
        await uow.menu.set_truck_menu(scene.truck.id, [entry])
        await uow.commit()
    wanted = {scene.items[0].id, sold.id, new_id()}

    async with uow_factory() as uow:
        intake = await uow.shifts.order_intake(scene.shift.id, wanted)
        excerpt = await uow.menu.excerpt(scene.truck.id, scene.location.id, wanted)
        setting, load = await uow.capacity.outlook(scene.shift.id, scene.truck.id)
        assert await uow.shifts.order_intake(new_id(), wanted) is None

    assert intake == OrderIntake(shift=scene.shift, menu=excerpt, setting=setting, load=load)
    assert (intake.limits, load.queued_tickets, load.recent_prep_seconds) == (
        _throttled().limits,
        1,
        (180.0,),
    )
    assert (excerpt.selection, excerpt.restricted, len(excerpt.items)) == ({sold.id: 250}, True, 2)


async def test_a_prep_runs_from_the_first_move_to_in_prep_to_the_last_to_ready(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    (_, held), (_, recalled) = await _ordered(uow_factory, scene, (0, [0]), (1, [0]))
    # Held mid-prep and recalled once handed over: timed from minute 2 to minute 9.
    await _moved(
        uow_factory,
        held,
        (TicketState.IN_PREP, 2),
        (TicketState.HOLD, 3),
        (TicketState.IN_PREP, 4),
        (TicketState.READY, 6),
        (TicketState.COMPLETED, 7),
        (TicketState.READY, 9),
    )
    # Recalled: from minute 3 to minute 13.
    await _moved(
        uow_factory,
        recalled,
        (TicketState.IN_PREP, 3),
        (TicketState.READY, 5),
        (TicketState.COMPLETED, 6),
        (TicketState.READY, 13),
    )

    async with uow_factory() as uow:
        kitchen = await uow.capacity.kitchen_load(scene.shift.id)

    assert kitchen.recent_prep_seconds == (420.0, 600.0)


async def test_loads_leave_out_cancelled_orders(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    placed = await _ordered(uow_factory, scene, (1, [0, 1]), (2, [2]), (16, [0]), (17, [1]))
    await _moved(uow_factory, placed[1][1], (TicketState.CANCELLED, 3))
    await _moved(uow_factory, placed[2][1], (TicketState.IN_PREP, 18), (TicketState.READY, 20.5))

    async with uow_factory() as uow:
        recent = await uow.capacity.recent_orders(scene.shift.id, minutes(1))
        loads = await uow.capacity.slot_loads(
            scene.shift.id, minutes(1).replace(second=0, microsecond=0)
        )
        everything = await uow.capacity.slot_loads(scene.shift.id, minutes(-60))
        kitchen = await uow.capacity.kitchen_load(scene.shift.id)

    assert [(r.at, r.items) for r in recent] == [(minutes(16), 1), (minutes(17), 1)]
    slot = minutes(0).replace(second=0, microsecond=0)
    assert everything == {
        slot + timedelta(minutes=1): 1,
        slot + timedelta(minutes=16): 1,
        slot + timedelta(minutes=17): 1,
    }
    assert loads == everything
    assert kitchen.queued_tickets == 2  # orders 1 and 4; 2 is cancelled, 3 ready
    assert kitchen.recent_prep_seconds == (150.0,)


async def test_the_summary_matches_the_orders_to_the_cent(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    placed = await _ordered(
        uow_factory, scene, (1, [0, 1]), (3, [1]), (20, [2, 0]), (21, [0, 1, 2]), (22, [2])
    )
    (o1, t1), (o2, t2), (o3, t3), (o4, t4), (o5, _) = placed
    await _moved(uow_factory, t1, (TicketState.IN_PREP, 2), (TicketState.READY, 6))
    await _moved(uow_factory, t2, (TicketState.IN_PREP, 4), (TicketState.READY, 5))
    await _moved(
        uow_factory,
        t3,
        (TicketState.IN_PREP, 22),
        (TicketState.READY, 30),
        (TicketState.COMPLETED, 31),
    )
    await _moved(uow_factory, t4, (TicketState.IN_PREP, 22), (TicketState.CANCELLED, 23))

    async with uow_factory() as uow:
        figures = await uow.summaries.figures(scene.shift.id)

    cancelled = o4.total_cents
    gross = sum(order.total_cents for order, _ in placed)
    assert figures.orders == 5
    assert figures.by_state == {
        TicketState.READY: 2,
        TicketState.COMPLETED: 1,
        TicketState.CANCELLED: 1,
        TicketState.NEW: 1,
    }
    assert (figures.gross_cents, figures.cancelled_cents) == (gross, cancelled)
    assert figures.net_cents == gross - cancelled
    # Prep 240, 60 and 480 s; wait 300, 120 and 600 s. p90 interpolates.
    assert figures.prep == DurationStats(count=3, average_seconds=260.0, p90_seconds=432.0)
    assert figures.wait == DurationStats(count=3, average_seconds=340.0, p90_seconds=540.0)
    quarter = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    assert figures.buckets == (
        OrderBucket(starts_at=quarter, orders=2),
        OrderBucket(starts_at=quarter + timedelta(minutes=15), orders=3),
    )
    live = [o1, o2, o3, o5]
    expected = {}
    for order in live:
        for line in order.lines:
            sold, cents = expected.get(line.item_id, (0, 0))
            expected[line.item_id] = (sold + line.quantity, cents + line.total_cents)
    names = {item.id: item.name for item in scene.items}
    ranked = sorted(expected, key=lambda i: (-expected[i][0], names[i]))
    assert list(figures.best_sellers) == [
        BestSeller(item_id=i, name=names[i], quantity=expected[i][0], sales_cents=expected[i][1])
        for i in ranked
    ]
    assert sum(s.sales_cents for s in figures.best_sellers) == figures.net_cents


async def test_an_empty_shift_sums_to_nothing(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory, items=1)

    async with uow_factory() as uow:
        figures = await uow.summaries.figures(scene.shift.id)

    assert msgspec.to_builtins(figures) == {
        "orders": 0,
        "by_state": {},
        "gross_cents": 0,
        "cancelled_cents": 0,
        "prep": {"count": 0, "average_seconds": None, "p90_seconds": None},
        "wait": {"count": 0, "average_seconds": None, "p90_seconds": None},
        "buckets": (),
        "best_sellers": (),
        "refunded_cents": 0,
    }
