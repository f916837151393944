from __future__ import annotations

import asyncio
from datetime import timedelta

import msgspec
import pytest

from fusionx.adapters.ids.uuid7_generator import Uuid7Generator
from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.menu import TruckMenuEntry
from fusionx.core.model.principals import StaffPrincipal
from fusionx.core.model.shifts import ShiftState, ShiftTransition
from fusionx.core.model.staff import Role
from fusionx.core.model.stock import StockReason
from fusionx.core.use_cases.commands.check_in_truck import CheckInRequest, CheckInTruck
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import (
    T0,
    a_category,
    a_location,
    a_menu_item,
    a_shift,
    a_staff_member,
    a_truck,
    an_actor,
    new_id,
)
from tests.support.races import race
from tests.support.scenes import a_shift_scene


async def test_a_shift_round_trips_with_every_field(uow_factory: UnitOfWorkFactory) -> None:
    truck, location = a_truck(), a_location()
    closed = a_shift(
        truck.id,
        location.id,
        state=ShiftState.CLOSED,
        closed_at=T0 + timedelta(hours=8),
        opened_by=an_actor(PrincipalKind.DEVICE),
    )
    live = a_shift(truck.id, location.id)
    async with uow_factory() as uow:
        await uow.trucks.add(truck)
        await uow.locations.add(location)
        await uow.shifts.add(closed)
        await uow.shifts.add(live)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.shifts.get(closed.id) == closed
        assert await uow.shifts.get(live.id) == live
        assert await uow.shifts.get_for_update(live.id) == live
        assert await uow.shifts.get(new_id()) is None
        assert await uow.shifts.get_for_update(new_id()) is None


async def test_open_for_truck_finds_the_shift_that_is_not_closed(
    uow_factory: UnitOfWorkFactory,
) -> None:
    truck, location, other = a_truck(), a_location(), a_truck("Other")
    old = a_shift(truck.id, location.id, state=ShiftState.CLOSED, closed_at=T0)
    paused = a_shift(truck.id, location.id, state=ShiftState.PAUSED)
    async with uow_factory() as uow:
        for row in (truck, other):
            await uow.trucks.add(row)
        await uow.locations.add(location)
        await uow.shifts.add(old)
        await uow.shifts.add(paused)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.shifts.open_for_truck(truck.id) == paused
        assert await uow.shifts.open_for_truck(other.id) is None


async def test_a_second_open_shift_for_a_truck_is_refused(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory, items=0)
    truck, location, first = scene.truck, scene.location, scene.shift

    async with uow_factory() as uow:
        with pytest.raises(UniqueViolation) as raised:
            await uow.shifts.add(a_shift(truck.id, location.id, state=ShiftState.PAUSED))
        assert raised.value.field == "truck_id"
        # The unit of work stays usable after the refusal.
        assert await uow.shifts.open_for_truck(truck.id) == first


async def test_closing_a_shift_frees_the_truck(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory, items=0)
    truck, location, first = scene.truck, scene.location, scene.shift

    closed = msgspec.structs.replace(first, state=ShiftState.CLOSED, closed_at=T0)
    second = a_shift(truck.id, location.id)
    async with uow_factory() as uow:
        await uow.shifts.update(closed)
        await uow.shifts.add(second)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.shifts.get(first.id) == closed
        assert await uow.shifts.open_for_truck(truck.id) == second


async def test_history_keeps_transitions_oldest_first(uow_factory: UnitOfWorkFactory) -> None:
    truck, location = a_truck(), a_location()
    shift, other = a_shift(truck.id, location.id), a_shift(a_truck().id, location.id)
    actor = an_actor()
    moves = [
        ShiftTransition(shift_id=shift.id, source=None, target=ShiftState.OPEN, at=T0, actor=actor),
        ShiftTransition(
            shift_id=shift.id,
            source=ShiftState.OPEN,
            target=ShiftState.PAUSED,
            at=T0 + timedelta(minutes=30),
            actor=an_actor(PrincipalKind.DEVICE),
            reason="Generator refuel",
        ),
        ShiftTransition(
            shift_id=shift.id,
            source=ShiftState.PAUSED,
            target=ShiftState.OPEN,
            at=T0 + timedelta(minutes=45),
            actor=actor,
        ),
    ]
    async with uow_factory() as uow:
        await uow.trucks.add(truck)
        await uow.locations.add(location)
        await uow.shifts.add(shift)
        for move in moves:
            await uow.shifts.add_transition(move)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.shifts.history(shift.id) == moves
        assert await uow.shifts.history(other.id) == []


async def test_order_numbers_count_up_per_shift(uow_factory: UnitOfWorkFactory) -> None:
    location = a_location()
    trucks = [a_truck("One"), a_truck("Two")]
    shifts = [a_shift(truck.id, location.id) for truck in trucks]
    async with uow_factory() as uow:
        await uow.locations.add(location)
        for truck, shift in zip(trucks, shifts, strict=True):
            await uow.trucks.add(truck)
            await uow.shifts.add(shift)
        await uow.commit()

    async with uow_factory() as uow:
        first = [await uow.shifts.next_order_number(shifts[0].id) for _ in range(3)]
        other = await uow.shifts.next_order_number(shifts[1].id)
        await uow.commit()

    assert first == [1, 2, 3]
    assert other == 1


async def test_a_rolled_back_order_number_is_taken_again(uow_factory: UnitOfWorkFactory) -> None:
    shift = (await a_shift_scene(uow_factory, items=0)).shift

    async with uow_factory() as uow:
        assert await uow.shifts.next_order_number(shift.id) == 1
        await uow.rollback()
        assert await uow.shifts.next_order_number(shift.id) == 1
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.shifts.next_order_number(shift.id) == 2


async def test_get_for_update_holds_off_other_writers_until_the_end(
    uow_factory: UnitOfWorkFactory,
) -> None:
    # Read, decide, write: of several units closing one shift at once, one closes it and
    # the others, once let through, see it closed. Without the lock all would close it.
    shift = (await a_shift_scene(uow_factory, items=0)).shift

    async def close(_: int) -> bool:
        async with uow_factory() as uow:
            seen = await uow.shifts.get_for_update(shift.id)
            assert seen is not None
            if seen.state is ShiftState.CLOSED:
                return False
            await asyncio.sleep(0.01)  # let the others reach their read
            await uow.shifts.update(
                msgspec.structs.replace(seen, state=ShiftState.CLOSED, closed_at=T0)
            )
            await uow.commit()
            return True

    closed = await race(8, close, seconds=20)

    assert closed.count(True) == 1


async def test_a_check_in_loads_the_opening_stock_of_the_trucks_active_items(
    uow_factory: UnitOfWorkFactory,
) -> None:
    truck, location, category = a_truck(), a_location(), a_category()
    loaded, unset, archived = (a_menu_item(category.id, f"Item {n}") for n in range(3))
    async with uow_factory() as uow:
        await uow.trucks.add(truck)
        await uow.locations.add(location)
        await uow.menu.add_category(category)
        for item in (loaded, unset, msgspec.structs.replace(archived, active=False)):
            await uow.menu.add_item(item)
        await uow.menu.set_truck_menu(
            truck.id,
            [
                TruckMenuEntry(item_id=loaded.id, opening_stock=25),
                TruckMenuEntry(item_id=unset.id, price_cents=100),
                TruckMenuEntry(item_id=archived.id, opening_stock=5),
            ],
        )
        await uow.commit()
    owner = StaffPrincipal(staff=a_staff_member(role=Role.OWNER), token_id=new_id())

    shift = await CheckInTruck(uow_factory(), ManualClock(T0), Uuid7Generator()).execute(
        owner, CheckInRequest(truck_id=truck.id, location_id=location.id)
    )

    async with uow_factory() as uow:
        assert await uow.stock.levels(shift.id) == {loaded.id: 25}
        (movement,) = await uow.stock.movements(shift.id)
    assert (movement.reason, movement.note, movement.at) == (
        StockReason.RESTOCK,
        "opening stock",
        T0,
    )


async def test_holding_a_shift_for_an_order_takes_its_next_number(
    uow_factory: UnitOfWorkFactory,
) -> None:
    shift = (await a_shift_scene(uow_factory, items=0)).shift

    async with uow_factory() as uow:
        assert await uow.shifts.hold_for_order(shift.id) == (shift, 1)
        await uow.rollback()  # a refused order hands its number back
        assert await uow.shifts.hold_for_order(shift.id) == (shift, 1)
        assert await uow.shifts.get(shift.id) == shift
        assert await uow.shifts.hold_for_order(new_id()) is None
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.shifts.next_order_number(shift.id) == 2
