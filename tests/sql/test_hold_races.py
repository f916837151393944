"""Several workers give back lapsed stock holds at once: each order's units come back once."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from fusionx.adapters.ids.uuid7_generator import Uuid7Generator
from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.orders import OrderChannel, OrderState
from fusionx.core.model.stock import StockReason
from fusionx.core.use_cases.commands.release_lapsed_holds import ReleaseLapsedHolds
from tests.support.databases import MigratedDatabase
from tests.support.entities import T0, an_order
from tests.support.races import race
from tests.support.scenes import a_shift_scene


async def test_racing_sweeps_give_each_lapsed_hold_back_once(
    racing_database: MigratedDatabase,
) -> None:
    uow_factory = racing_database.database.unit_of_work
    scene = await a_shift_scene(uow_factory, items=1)
    orders = [
        msgspec.structs.replace(
            an_order(scene.shift.id, [scene.items[0]], number=n),
            channel=OrderChannel.ONLINE,
            state=OrderState.AWAITING_PAYMENT,
            stock_held=True,
            created_at=T0,
        )
        for n in range(1, 4)
    ]
    async with uow_factory() as uow:
        for order in orders:
            await uow.orders.add(order)
        await uow.commit()
    clock, ids = ManualClock(T0 + timedelta(minutes=16)), Uuid7Generator()

    async def one_worker(_: int) -> int:
        sweep = ReleaseLapsedHolds(uow_factory, clock, ids, timedelta(minutes=15))
        return len(await sweep.execute())

    released = await race(8, one_worker)

    assert sum(released) == 3
    async with uow_factory() as uow:
        movements = await uow.stock.movements(scene.shift.id)
        held = [await uow.orders.get(order.id) for order in orders]
    returns = [m for m in movements if m.reason is StockReason.RETURN]
    assert sorted(m.order_id for m in returns) == sorted(order.id for order in orders)
    assert all(order is not None and not order.stock_held for order in held)
