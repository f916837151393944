from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from uuid import UUID

from fusionx.core.model.stock import Shortage, StockMovement, StockReason
from fusionx.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from tests.support.entities import T0, a_movement, new_id
from tests.support.scenes import ShiftScene, a_shift_scene, restock_to


def _sale(scene: ShiftScene, index: int, quantity: int, **changes: object) -> StockMovement:
    item = scene.items[index]
    return a_movement(
        scene.shift.id,
        item.id,
        -quantity,
        StockReason.SALE,
        at=T0 + timedelta(minutes=5),
        **changes,
    )


async def _ledger_matches_levels(uow: UnitOfWork, shift_id: UUID) -> None:
    sums: defaultdict[UUID, int] = defaultdict(int)
    for movement in await uow.stock.movements(shift_id):
        sums[movement.item_id] += movement.delta
        assert movement.on_hand_after == sums[movement.item_id]
    assert dict(sums) == await uow.stock.levels(shift_id)


async def test_an_adjustment_is_recorded_with_the_level_it_leaves(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    item = scene.items[0]
    restock = a_movement(scene.shift.id, item.id, 12, note="Morning delivery")
    waste = a_movement(
        scene.shift.id,
        item.id,
        -2,
        StockReason.WASTE,
        at=T0 + timedelta(minutes=1),
        order_id=new_id(),
    )
    async with uow_factory() as uow:
        recorded = [await uow.stock.adjust(restock), await uow.stock.adjust(waste)]
        await uow.commit()

    assert [m.on_hand_after if m else None for m in recorded] == [12, 10]
    async with uow_factory() as uow:
        assert await uow.stock.movements(scene.shift.id) == recorded
        assert await uow.stock.levels(scene.shift.id) == {item.id: 10}


async def test_an_adjustment_below_zero_is_refused_and_records_nothing(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    stocked, unstocked = scene.items[0], scene.items[1]
    await restock_to(uow_factory, scene, 3)

    async with uow_factory() as uow:
        too_much = a_movement(scene.shift.id, stocked.id, -4, StockReason.WASTE)
        never_stocked = a_movement(scene.shift.id, unstocked.id, -1, StockReason.CORRECTION)
        assert await uow.stock.adjust(too_much) is None
        assert await uow.stock.adjust(never_stocked) is None
        exactly = await uow.stock.adjust(a_movement(scene.shift.id, stocked.id, -3))
        await uow.commit()

    assert exactly is not None
    assert exactly.on_hand_after == 0
    async with uow_factory() as uow:
        assert await uow.stock.levels(scene.shift.id) == {stocked.id: 0}
        assert len(await uow.stock.movements(scene.shift.id)) == 2


async def test_a_count_records_the_delta_to_the_counted_level(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    counted, first_seen = scene.items[0], scene.items[1]
    await restock_to(uow_factory, scene, 10)

    async with uow_factory() as uow:
        down = await uow.stock.set_count(
            a_movement(scene.shift.id, counted.id, 0, StockReason.COUNT, note="Shelf count"), 7
        )
        fresh = await uow.stock.set_count(
            a_movement(scene.shift.id, first_seen.id, 0, StockReason.COUNT), 5
        )
        same = await uow.stock.set_count(
            a_movement(scene.shift.id, counted.id, 99, StockReason.COUNT), 7
        )
        await uow.commit()

    assert (down.delta, down.on_hand_after, down.note) == (-3, 7, "Shelf count")
    assert (fresh.delta, fresh.on_hand_after) == (5, 5)
    assert (same.delta, same.on_hand_after) == (0, 7)
    async with uow_factory() as uow:
        assert await uow.stock.levels(scene.shift.id) == {counted.id: 7, first_seen.id: 5}
        await _ledger_matches_levels(uow, scene.shift.id)


async def test_a_take_records_every_sale_when_all_items_suffice(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    await restock_to(uow_factory, scene, 5, 2)
    order_id = new_id()
    sales = [_sale(scene, 0, 5, order_id=order_id), _sale(scene, 1, 1, order_id=order_id)]

    async with uow_factory() as uow:
        take = await uow.stock.take(sales)
        await uow.commit()

    assert take.shortages == ()
    assert [m.on_hand_after for m in take.taken] == [0, 1]
    assert [m.id for m in take.taken] == [m.id for m in sales]
    async with uow_factory() as uow:
        levels = await uow.stock.levels(scene.shift.id)
        ledger = await uow.stock.movements(scene.shift.id)
        await _ledger_matches_levels(uow, scene.shift.id)
    assert levels == {scene.items[0].id: 0, scene.items[1].id: 1}
    assert ledger[-2:] == list(take.taken)


async def test_a_take_of_one_item_twice_records_the_level_each_movement_left(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    await restock_to(uow_factory, scene, 5, 4)
    sales = [_sale(scene, 0, 2), _sale(scene, 1, 1), _sale(scene, 0, 1), _sale(scene, 1, 3)]

    async with uow_factory() as uow:
        take = await uow.stock.take(sales)
        await uow.commit()

    assert [m.on_hand_after for m in take.taken] == [3, 3, 2, 0]
    async with uow_factory() as uow:
        ledger = await uow.stock.movements(scene.shift.id)
        await _ledger_matches_levels(uow, scene.shift.id)
    recorded = {m.id: m.on_hand_after for m in ledger}
    assert [recorded[m.id] for m in sales] == [3, 3, 2, 0]


async def test_a_take_with_any_shortage_takes_nothing_and_names_every_short_item(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    await restock_to(uow_factory, scene, 5, 1)
    sales = [_sale(scene, 0, 3), _sale(scene, 1, 2), _sale(scene, 2, 1)]

    async with uow_factory() as uow:
        take = await uow.stock.take(sales)
        levels = await uow.stock.levels(scene.shift.id)
        ledger = await uow.stock.movements(scene.shift.id)
        await uow.commit()

    assert take.taken == ()
    assert take.shortages == (
        Shortage(item_id=scene.items[1].id, requested=2, available=1),
        Shortage(item_id=scene.items[2].id, requested=1, available=0),
    )
    assert levels == {scene.items[0].id: 5, scene.items[1].id: 1}
    assert len(ledger) == 2


async def test_a_unit_of_work_goes_on_after_a_shortage(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    await restock_to(uow_factory, scene, 2)

    async with uow_factory() as uow:
        short = await uow.stock.take([_sale(scene, 0, 3)])
        taken = await uow.stock.take([_sale(scene, 0, 2)])
        await uow.commit()

    assert short.shortages
    assert [m.on_hand_after for m in taken.taken] == [0]
    async with uow_factory() as uow:
        await _ledger_matches_levels(uow, scene.shift.id)


async def test_levels_and_ledgers_are_per_shift(uow_factory: UnitOfWorkFactory) -> None:
    first, second = await a_shift_scene(uow_factory), await a_shift_scene(uow_factory)
    await restock_to(uow_factory, first, 4)
    await restock_to(uow_factory, second, 9)

    async with uow_factory() as uow:
        assert await uow.stock.levels(first.shift.id) == {first.items[0].id: 4}
        assert await uow.stock.levels(second.shift.id) == {second.items[0].id: 9}
        assert [m.delta for m in await uow.stock.movements(first.shift.id)] == [4]
        assert await uow.stock.levels(new_id()) == {}
        assert await uow.stock.movements(new_id()) == []
