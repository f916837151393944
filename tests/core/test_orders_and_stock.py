from __future__ import annotations

import asyncio

import pytest

from fusionx.core.errors import Conflict, InvalidInput
from fusionx.core.model.events import EventType
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.stock import StockReason
from fusionx.core.use_cases.commands.adjust_stock import AdjustStock, AdjustStockRequest
from fusionx.core.use_cases.commands.change_shift_state import ChangeShiftRequest, ChangeShiftState
from fusionx.core.use_cases.commands.place_order import (
    OrderLineRequest,
    PlacedOrder,
    PlaceOrder,
    PlaceOrderRequest,
)
from fusionx.core.use_cases.queries.view_shift_menu import ViewShiftMenu
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import ShiftWorld, open_shift_world


async def place(adapters: Adapters, world: ShiftWorld, *lines: tuple[int, int]) -> PlacedOrder:
    return await PlaceOrder(adapters.uow(), adapters.clock, adapters.ids).execute(
        world.principal,
        PlaceOrderRequest(
            shift_id=world.shift.id,
            lines=tuple(
                OrderLineRequest(item_id=world.items[i].id, quantity=q, notes="no onions")
                for i, q in lines
            ),
        ),
    )


async def levels(adapters: Adapters, world: ShiftWorld) -> list[int]:
    async with adapters.uow() as uow:
        on_hand = await uow.stock.levels(world.shift.id)
    return [on_hand.get(item.id, 0) for item in world.items]


async def adjust(adapters: Adapters, world: ShiftWorld, **values: object) -> object:
    return await AdjustStock(adapters.uow(), adapters.clock, adapters.ids).execute(
        world.principal,
        AdjustStockRequest(shift_id=world.shift.id, item_id=world.items[0].id, **values),  # type: ignore[arg-type]
    )


async def test_an_order_snapshots_prices_takes_stock_and_makes_a_new_ticket(
    adapters: Adapters,
) -> None:
    world = await open_shift_world(adapters, stock=5, prices=(850, 400))

    placed = await place(adapters, world, (0, 2), (1, 1), (0, 1))

    assert placed.order.number == 1
    assert placed.order.total_cents == 3 * 850 + 400
    assert [line.name for line in placed.order.lines] == ["Item 1", "Item 2", "Item 1"]
    assert (placed.ticket.state, placed.ticket.version) == ("new", 1)
    assert await levels(adapters, world) == [2, 4]
    assert (await place(adapters, world, (1, 1))).order.number == 2


async def test_a_short_line_takes_nothing_and_names_what_is_left(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=3)

    with pytest.raises(Conflict) as error:
        await place(adapters, world, (1, 1), (0, 4))

    (shortage,) = error.value.context["shortages"]
    assert shortage == {
        "item_id": str(world.items[0].id),
        "name": "Item 1",
        "requested": 4,
        "available": 3,
    }
    assert await levels(adapters, world) == [3, 3]


async def test_racing_orders_for_the_last_units_never_oversell(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=3)

    results = await asyncio.gather(
        *(place(adapters, world, (0, 1)) for _ in range(8)), return_exceptions=True
    )

    assert sum(isinstance(r, PlacedOrder) for r in results) == 3
    assert all(isinstance(r, PlacedOrder | Conflict) for r in results)
    assert await levels(adapters, world) == [0, 3]


async def test_a_paused_shift_takes_no_orders(adapters: Adapters) -> None:
    world = await open_shift_world(adapters)
    await ChangeShiftState(adapters.uow(), adapters.clock).execute(
        world.principal, ChangeShiftRequest(shift_id=world.shift.id, target=ShiftState.PAUSED)
    )

    with pytest.raises(Conflict) as error:
        await place(adapters, world, (0, 1))
    assert error.value.context == {"state": "paused"}


@pytest.mark.parametrize(
    ("lines", "field"),
    [((), "lines"), (((0, 0),), "lines[0].quantity"), (((0, 100),), "lines[0].quantity")],
)
async def test_malformed_orders_name_the_field(
    adapters: Adapters, lines: tuple[tuple[int, int], ...], field: str
) -> None:
    world = await open_shift_world(adapters)
    with pytest.raises(InvalidInput) as error:
        await place(adapters, world, *lines)
    assert error.value.field == field


async def test_stock_is_a_ledger_whose_sum_is_on_hand(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=10)
    await place(adapters, world, (0, 3))
    await adjust(adapters, world, reason=StockReason.WASTE, delta=-2)
    await adjust(adapters, world, reason=StockReason.COUNT, count=4)

    async with adapters.uow() as uow:
        ledger = [
            m for m in await uow.stock.movements(world.shift.id) if m.item_id == world.items[0].id
        ]
    assert [(m.reason, m.delta, m.on_hand_after) for m in ledger] == [
        (StockReason.RESTOCK, 10, 10),
        (StockReason.SALE, -3, 7),
        (StockReason.WASTE, -2, 5),
        (StockReason.COUNT, -1, 4),
    ]
    assert sum(m.delta for m in ledger) == (await levels(adapters, world))[0] == 4


async def test_an_adjustment_below_zero_is_refused_but_a_count_sets_any_number(
    adapters: Adapters,
) -> None:
    world = await open_shift_world(adapters, stock=2)

    with pytest.raises(Conflict) as error:
        await adjust(adapters, world, reason=StockReason.WASTE, delta=-3)
    assert error.value.context["on_hand"] == 2

    await adjust(adapters, world, reason=StockReason.COUNT, count=0)
    assert (await levels(adapters, world))[0] == 0


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"reason": StockReason.COUNT, "delta": 3}, "count"),
        ({"reason": StockReason.RESTOCK, "count": 3}, "delta"),
        ({"reason": StockReason.RESTOCK, "delta": 0}, "delta"),
        ({"reason": StockReason.SALE, "delta": -1}, "reason"),
    ],
)
async def test_adjustments_must_say_a_delta_or_a_count_as_their_reason_wants(
    adapters: Adapters, values: dict[str, object], field: str
) -> None:
    world = await open_shift_world(adapters)
    with pytest.raises(InvalidInput) as error:
        await adjust(adapters, world, **values)
    assert error.value.field == field


@pytest.mark.parametrize("reason", [StockReason.RESTOCK, StockReason.WASTE, StockReason.CORRECTION])
@pytest.mark.parametrize("delta", [3, -3])
async def test_a_reason_takes_only_changes_of_its_sign(
    adapters: Adapters, reason: StockReason, delta: int
) -> None:
    """A restock adds and waste takes away; a correction goes either way. A change of the
    other sign is refused and leaves the ledger as it was."""
    world = await open_shift_world(adapters, stock=10)
    allowed = {StockReason.RESTOCK: delta > 0, StockReason.WASTE: delta < 0}.get(reason, True)

    if allowed:
        await adjust(adapters, world, reason=reason, delta=delta)
    else:
        with pytest.raises(InvalidInput) as error:
            await adjust(adapters, world, reason=reason, delta=delta)
        assert error.value.field == "delta"

    assert (await levels(adapters, world))[0] == (10 + delta if allowed else 10)


def test_every_reason_says_which_signs_it_takes() -> None:
    """The system's own movements too: a sale takes away, a return adds back."""
    signs = {reason: (reason.allows(1), reason.allows(-1)) for reason in StockReason}
    assert signs == {
        StockReason.RESTOCK: (True, False),
        StockReason.RETURN: (True, False),
        StockReason.WASTE: (False, True),
        StockReason.SALE: (False, True),
        StockReason.CORRECTION: (True, True),
        StockReason.COUNT: (True, True),
    }


async def test_selling_out_and_restocking_are_events_and_show_on_the_menu(
    adapters: Adapters,
) -> None:
    world = await open_shift_world(adapters, stock=1)
    await place(adapters, world, (0, 1))
    menu = await ViewShiftMenu(adapters.uow(), adapters.clock).execute(
        world.principal, world.shift.id
    )
    assert [(e.item.name, e.on_hand, e.sold_out) for e in menu.sections[0].entries] == [
        ("Item 1", 0, True),
        ("Item 2", 1, False),
    ]

    await adjust(adapters, world, reason=StockReason.RESTOCK, delta=5)

    async with adapters.uow() as uow:
        types = [e.type for e in await uow.events.since(world.shift.id, 0)]
    assert types[-4:] == [
        EventType.STOCK_CHANGED,
        EventType.ITEM_SOLD_OUT,
        EventType.STOCK_CHANGED,
        EventType.ITEM_BACK_IN_STOCK,
    ]
