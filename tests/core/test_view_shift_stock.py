"""A shift's stock as the dashboard shows it: the threshold in force for each item, low
and sold out, and only to the truck's own staff."""

from __future__ import annotations

import pytest

from fusionx.core.errors import NotFound
from fusionx.core.model.stock import StockReason
from fusionx.core.rules.alerts import DEFAULT_LOW_STOCK_THRESHOLD
from fusionx.core.use_cases.commands.adjust_stock import AdjustStock, AdjustStockRequest
from fusionx.core.use_cases.commands.set_stock_threshold import (
    SetStockThreshold,
    ShiftThresholdRequest,
)
from fusionx.core.use_cases.queries.list_my_trucks import ListMyTrucks
from fusionx.core.use_cases.queries.view_shift_stock import ViewShiftStock
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import open_shift_world


async def test_each_item_is_low_at_or_below_the_threshold_in_force(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=4)
    own, default = world.items
    await SetStockThreshold(adapters.uow(), adapters.clock).for_shift(
        world.principal, ShiftThresholdRequest(shift_id=world.shift.id, item_id=own.id, threshold=2)
    )

    stock = await ViewShiftStock(adapters.uow(), adapters.clock).execute(
        world.principal, world.shift.id
    )

    lines = {line.item.id: line for line in stock.lines}
    assert (lines[own.id].threshold, lines[own.id].low) == (2, False)
    assert (lines[default.id].threshold, lines[default.id].low) == (
        DEFAULT_LOW_STOCK_THRESHOLD,
        True,
    )


async def test_an_item_counted_to_zero_is_sold_out_not_low(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=3)
    item = world.items[0]
    await AdjustStock(adapters.uow(), adapters.clock, adapters.ids).execute(
        world.principal,
        AdjustStockRequest(
            shift_id=world.shift.id, item_id=item.id, reason=StockReason.COUNT, count=0
        ),
    )

    stock = await ViewShiftStock(adapters.uow(), adapters.clock).execute(
        world.principal, world.shift.id
    )

    line = next(line for line in stock.lines if line.item.id == item.id)
    assert (line.on_hand, line.sold_out, line.low) == (0, True, False)


async def test_another_trucks_manager_finds_neither_its_stock_nor_its_truck(
    adapters: Adapters,
) -> None:
    world = await open_shift_world(adapters)
    other = await open_shift_world(adapters)

    with pytest.raises(NotFound):
        await ViewShiftStock(adapters.uow(), adapters.clock).execute(
            other.principal, world.shift.id
        )
    with pytest.raises(NotFound):
        await ListMyTrucks(adapters.uow()).of_truck(other.principal, world.truck.id)
    on_duty = await ListMyTrucks(adapters.uow()).of_truck(world.principal, world.truck.id)
    assert on_duty.shift == world.shift
