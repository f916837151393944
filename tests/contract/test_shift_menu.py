"""The shift menu composed on each backend: windows, scope, selection, specials, stock."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import msgspec

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.menu import (
    AvailabilityWindow,
    ModifierGroup,
    ModifierOption,
    TruckMenuEntry,
)
from fusionx.core.model.principals import StaffPrincipal
from fusionx.core.model.staff import Role
from fusionx.core.use_cases.queries.view_shift_menu import ViewShiftMenu
from fusionx.core.use_cases.steps.shift_menu import ShiftMenu, entries_for_order
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import (
    T0,
    a_category,
    a_menu_item,
    a_movement,
    a_staff_member,
    a_truck,
    new_id,
)
from tests.support.scenes import a_shift_scene

BREAKFAST = AvailabilityWindow(days=frozenset({1, 2, 3, 4, 5}), start=time(7), end=time(11))


async def test_the_shift_menu_at_10_59_and_11_00_in_paris(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(
        uow_factory,
        items=2,
        location={"timezone": "Europe/Paris"},
        category={"name": "Mains", "display_order": 1},
    )
    other = a_truck("Elsewhere")
    breakfast = a_category("Breakfast", display_order=2, availability=(BREAKFAST,))
    eggs = a_menu_item(breakfast.id, "Eggs", price_cents=450, truck_id=scene.truck.id)
    theirs = a_menu_item(breakfast.id, "Their eggs", truck_id=other.id)
    special = a_menu_item(
        scene.category.id,
        "Special",
        price_cents=450,
        display_order=0,
        shift_id=scene.shift.id,
        truck_id=scene.truck.id,
    )
    first, second = scene.items
    async with uow_factory() as uow:
        await uow.trucks.add(other)
        await uow.menu.add_category(breakfast)
        for item in (eggs, theirs, special):
            await uow.menu.add_item(item)
        await uow.menu.set_truck_menu(
            scene.truck.id, [TruckMenuEntry(item_id=first.id, price_cents=999)]
        )
        await uow.stock.adjust(a_movement(scene.shift.id, special.id, 5))
        await uow.commit()
    owner = StaffPrincipal(staff=a_staff_member(role=Role.OWNER), token_id=new_id())
    clock = ManualClock(datetime(2026, 1, 5, 9, 59, tzinfo=UTC))  # Monday 10:59 in Paris

    at_10_59 = await ViewShiftMenu(uow_factory(), clock).execute(owner, scene.shift.id)
    clock.set(datetime(2026, 1, 5, 10, 0, tzinfo=UTC))
    at_11_00 = await ViewShiftMenu(uow_factory(), clock).execute(owner, scene.shift.id)

    def shown(menu: ShiftMenu) -> list[tuple[str, list[tuple[Any, ...]]]]:
        return [
            (
                section.category.name,
                [
                    (e.item.name, e.item.price_cents, e.on_hand, e.available, e.available_from)
                    for e in section.entries
                ],
            )
            for section in menu.sections
        ]

    tuesday_7am = datetime(2026, 1, 6, 6, 0, tzinfo=UTC)
    assert shown(at_10_59) == [
        ("Mains", [("Special", 450, 5, True, None), ("Item 1", 999, 0, True, None)]),
        ("Breakfast", [("Eggs", 450, 0, True, None)]),
    ]
    assert shown(at_11_00) == [
        ("Mains", [("Special", 450, 5, True, None), ("Item 1", 999, 0, True, None)]),
        ("Breakfast", [("Eggs", 450, 0, False, tuesday_7am)]),
    ]
    assert at_11_00.timezone == "Europe/Paris"
    assert second.id not in {e.item.id for s in at_11_00.sections for e in s.entries}


async def test_an_orders_entries_are_the_shift_menus_read_for_those_items_only(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory, items=3)
    other = a_truck("Elsewhere")
    salsa = ModifierGroup(
        id=new_id(),
        name="Salsa",
        min_choices=1,
        max_choices=2,
        options=(ModifierOption(id=new_id(), name="Verde", price_delta_cents=25),),
        created_at=T0,
    )
    breakfast = a_category("Breakfast", display_order=2, availability=(BREAKFAST,))
    closed = a_category("Closed", active=False)
    theirs_category = a_category("Theirs", truck_id=other.id)
    first = scene.items[0]
    extra = [
        a_menu_item(breakfast.id, "Eggs", truck_id=scene.truck.id, tags=("veg", "hot")),
        a_menu_item(breakfast.id, "Their eggs", truck_id=other.id),
        a_menu_item(scene.category.id, "Special", shift_id=scene.shift.id, truck_id=scene.truck.id),
        a_menu_item(scene.category.id, "Archived", truck_id=scene.truck.id, active=False),
        a_menu_item(closed.id, "In a closed category", truck_id=scene.truck.id),
        a_menu_item(theirs_category.id, "Elsewhere", truck_id=scene.truck.id),
        a_menu_item(
            scene.category.id, "Tacos", modifier_group_ids=(salsa.id,), availability=(BREAKFAST,)
        ),
    ]
    async with uow_factory() as uow:
        await uow.trucks.add(other)
        await uow.menu.add_modifier_group(salsa)
        for category in (breakfast, closed, theirs_category):
            await uow.menu.add_category(category)
        for item in extra:
            await uow.menu.add_item(item)
        await uow.commit()
    everything = {item.id for item in (*scene.items, *extra)} | {new_id()}
    owner = StaffPrincipal(staff=a_staff_member(role=Role.OWNER), token_id=new_id())

    async def compare(at: datetime) -> set[str]:
        menu = await ViewShiftMenu(uow_factory(), ManualClock(at)).execute(owner, scene.shift.id)
        shown = {
            e.item.id: msgspec.structs.replace(e, on_hand=0)
            for section in menu.sections
            for e in section.entries
        }
        async with uow_factory() as uow:
            shift = await uow.shifts.get(scene.shift.id)
            assert shift is not None
            entries = await entries_for_order(uow, shift, at, everything)
        assert entries == shown
        return {entry.item.name for entry in entries.values()}

    monday_9am_in_paris = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    names = {"Item 1", "Item 2", "Item 3", "Eggs", "Special", "Tacos"}
    assert await compare(monday_9am_in_paris) == names
    # 11:30 in Paris: breakfast is over there, though not yet in UTC.
    assert await compare(datetime(2026, 1, 5, 10, 30, tzinfo=UTC)) == names
    async with uow_factory() as uow:
        await uow.menu.set_truck_menu(
            scene.truck.id, [TruckMenuEntry(item_id=first.id, price_cents=999)]
        )
        await uow.commit()
    assert await compare(monday_9am_in_paris) == {"Item 1", "Eggs", "Special"}
