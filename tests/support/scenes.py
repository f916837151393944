"""A committed truck, location, open shift and menu: what shift-time rows refer to.

The SQL backends enforce foreign keys, so every contract test about stock, orders,
tickets or events starts from one of these.
"""

from __future__ import annotations

from typing import Any

import msgspec

from fusionx.core.model.menu import MenuCategory, MenuItem
from fusionx.core.model.shifts import Shift
from fusionx.core.model.trucks import Location, Truck
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import a_category, a_location, a_menu_item, a_shift, a_truck


class ShiftScene(msgspec.Struct, frozen=True, kw_only=True):
    truck: Truck
    location: Location
    shift: Shift
    category: MenuCategory
    items: tuple[MenuItem, ...]


async def a_shift_scene(
    uow_factory: UnitOfWorkFactory,
    *,
    items: int = 3,
    location: dict[str, Any] | None = None,
    category: dict[str, Any] | None = None,
) -> ShiftScene:
    """``location`` and ``category`` name the fields a test relies on; the rest is drawn."""
    truck = a_truck()
    place, mains = a_location(**(location or {})), a_category(**(category or {}))
    shift = a_shift(truck.id, place.id)
    menu = tuple(a_menu_item(mains.id, f"Item {n}", display_order=n) for n in range(1, items + 1))
    async with uow_factory() as uow:
        await uow.trucks.add(truck)
        await uow.locations.add(place)
        await uow.shifts.add(shift)
        await uow.menu.add_category(mains)
        for item in menu:
            await uow.menu.add_item(item)
        await uow.commit()
    return ShiftScene(truck=truck, location=place, shift=shift, category=mains, items=menu)
