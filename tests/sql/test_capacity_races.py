"""Capacity limits hold exactly when orders race: the shift is held while one is admitted.

On PostgreSQL the 100 orders run on their own connections at once; on SQLite they
serialize on BEGIN IMMEDIATE.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fusionx.adapters.ids.uuid7_generator import Uuid7Generator
from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.errors import CapacityFull
from fusionx.core.model.capacity import CapacityLimits, CapacitySetting, PickupSlots, Throttle
from fusionx.core.model.principals import StaffPrincipal
from fusionx.core.model.staff import Role
from fusionx.core.use_cases.commands.place_order import (
    OrderLineRequest,
    PlaceOrder,
    PlaceOrderRequest,
)
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.databases import MigratedDatabase
from tests.support.entities import T0, a_movement, a_staff_member, an_actor, new_id
from tests.support.races import race
from tests.support.scenes import ShiftScene, a_shift_scene, restock_to

OWNER = StaffPrincipal(staff=a_staff_member(role=Role.OWNER), token_id=new_id())


async def _limited(uow_factory: UnitOfWorkFactory, limits: CapacityLimits) -> ShiftScene:
    scene = await a_shift_scene(uow_factory, items=1)
    async with uow_factory() as uow:
        await uow.stock.adjust(a_movement(scene.shift.id, scene.items[0].id, 1000))
        await uow.capacity.set_for_shift(
            scene.shift.id, CapacitySetting(limits=limits, updated_at=T0, updated_by=an_actor())
        )
        await uow.commit()
    return scene


def _placer(
    uow_factory: UnitOfWorkFactory, scene: ShiftScene, quantity: Callable[[int], int]
) -> Callable[[int], Awaitable[str]]:
    clock, ids = ManualClock(T0), Uuid7Generator()

    async def place(n: int) -> str:
        request = PlaceOrderRequest(
            shift_id=scene.shift.id,
            lines=(OrderLineRequest(item_id=scene.items[0].id, quantity=quantity(n)),),
        )
        try:
            await PlaceOrder(uow_factory(), clock, ids).execute(OWNER, request)
        except CapacityFull as full:
            return full.limit
        return "placed"

    return place


async def test_100_racing_orders_fill_a_slot_of_10_exactly(
    racing_database: MigratedDatabase,
) -> None:
    uow_factory = racing_database.database.unit_of_work
    scene = await _limited(
        uow_factory, CapacityLimits(slots=PickupSlots(slot_minutes=15, orders_per_slot=10))
    )

    outcomes = await race(100, _placer(uow_factory, scene, lambda _: 1), seconds=90)

    assert outcomes.count("placed") == 10
    assert outcomes.count("orders_per_slot") == 90
    async with uow_factory() as uow:
        loads = await uow.capacity.slot_loads(scene.shift.id, T0.replace(minute=0, microsecond=0))
        on_hand = await uow.stock.levels(scene.shift.id)
    assert list(loads.values()) == [10]
    assert on_hand[scene.items[0].id] == 990


async def test_racing_orders_for_different_items_are_all_admitted(
    racing_database: MigratedDatabase,
) -> None:
    # Orders for different items do not queue on a stock row: they reach the shift row
    # together, each already holding the KEY SHARE lock its stock movement took on it.
    uow_factory = racing_database.database.unit_of_work
    scene = await a_shift_scene(uow_factory, items=20)
    await restock_to(uow_factory, scene, *(100 for _ in scene.items))
    clock, ids = ManualClock(T0), Uuid7Generator()

    async def place(n: int) -> str:
        item = scene.items[n % len(scene.items)]
        request = PlaceOrderRequest(
            shift_id=scene.shift.id, lines=(OrderLineRequest(item_id=item.id, quantity=1),)
        )
        await PlaceOrder(uow_factory(), clock, ids).execute(OWNER, request)
        return "placed"

    outcomes = await race(40, place, seconds=90)

    assert outcomes == ["placed"] * 40
    async with uow_factory() as uow:
        on_hand = await uow.stock.levels(scene.shift.id)
    assert sorted(on_hand.values()) == [98] * 20


async def test_racing_orders_never_exceed_the_item_throttle(
    racing_database: MigratedDatabase,
) -> None:
    uow_factory = racing_database.database.unit_of_work
    throttle = Throttle(window_minutes=15, max_items=25)
    scene = await _limited(uow_factory, CapacityLimits(throttle=throttle))

    outcomes = await race(60, _placer(uow_factory, scene, lambda n: 1 + n % 3), seconds=90)

    async with uow_factory() as uow:
        recent = await uow.capacity.recent_orders(scene.shift.id, T0.replace(hour=0))
    assert outcomes.count("placed") == len(recent)
    taken = sum(order.items for order in recent)
    # Full to the item: any order of one more would have been refused only if it did not fit.
    assert 23 <= taken <= 25
    assert outcomes.count("items_per_window") == 60 - len(recent)
