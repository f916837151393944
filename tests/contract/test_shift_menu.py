"""The shift menu composed on each backend: windows, scope, selection, specials, stock."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.menu import AvailabilityWindow, TruckMenuEntry
from fusionx.core.model.principals import StaffPrincipal
from fusionx.core.model.staff import Role
from fusionx.core.use_cases.shift_menu import ShiftMenu
from fusionx.core.use_cases.view_shift_menu import ViewShiftMenu
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import (
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
    scene = await a_shift_scene(uow_factory, items=2)  # the location is in Europe/Paris
    other = a_truck("Elsewhere")
    breakfast = a_category("Breakfast", display_order=2, availability=(BREAKFAST,))
    eggs = a_menu_item(breakfast.id, "Eggs", truck_id=scene.truck.id)
    theirs = a_menu_item(breakfast.id, "Their eggs", truck_id=other.id)
    special = a_menu_item(
        scene.category.id,
        "Special",
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
