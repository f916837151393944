"""A committed truck, location, open shift and menu: what shift-time rows refer to.

The SQL backends enforce foreign keys, so every contract test about stock, orders,
tickets or events starts from one of these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import msgspec
from sqlalchemy import Connection, insert
from sqlalchemy import inspect as sa_inspect

from fusionx.adapters.sql.engine import build_engine
from fusionx.adapters.sql.mapping import row_values
from fusionx.adapters.sql.tables import LocationRow, TruckRow
from fusionx.core.model.menu import MenuCategory, MenuItem
from fusionx.core.model.orders import Order
from fusionx.core.model.shifts import Shift
from fusionx.core.model.tickets import Ticket
from fusionx.core.model.trucks import Location, Truck
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import (
    a_category,
    a_location,
    a_menu_item,
    a_movement,
    a_shift,
    a_ticket,
    a_truck,
    an_order,
)


class ShiftScene(msgspec.Struct, frozen=True, kw_only=True):
    truck: Truck
    location: Location
    shift: Shift
    category: MenuCategory
    items: tuple[MenuItem, ...]


def _scene_entities(items: int) -> ShiftScene:
    truck = a_truck()
    place, mains = a_location(), a_category()
    menu = tuple(a_menu_item(mains.id, f"Item {n}", display_order=n) for n in range(1, items + 1))
    return ShiftScene(
        truck=truck,
        location=place,
        shift=a_shift(truck.id, place.id),
        category=mains,
        items=menu,
    )


async def a_shift_scene_as_of(
    url: str, uow_factory: UnitOfWorkFactory, *, items: int = 3
) -> ShiftScene:
    """``a_shift_scene`` on a database at an older revision, for migration tests: the
    truck and the location are written with the columns that revision has (today's
    repositories write the ones added since), the rest through the repositories."""
    scene = _scene_entities(items)
    engine = build_engine(url, pooled=False)
    try:
        async with engine.begin() as connection:
            for table, entity in (
                (TruckRow.__table__, scene.truck),
                (LocationRow.__table__, scene.location),
            ):
                present = await connection.run_sync(_columns_of, table.name)
                values = {k: v for k, v in row_values(entity).items() if k in present}
                await connection.execute(insert(table).values(values))
    finally:
        await engine.dispose()
    async with uow_factory() as uow:
        await uow.shifts.add(scene.shift)
        await uow.menu.add_category(scene.category)
        for item in scene.items:
            await uow.menu.add_item(item)
        await uow.commit()
    return scene


def _columns_of(connection: Connection, table: str) -> set[str]:
    return {column["name"] for column in sa_inspect(connection).get_columns(table)}


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


async def restock_to(uow_factory: UnitOfWorkFactory, scene: ShiftScene, *levels: int) -> None:
    """Restock the scene's first items to ``levels``, one restock each, in one unit."""
    async with uow_factory() as uow:
        for item, level in zip(scene.items, levels, strict=False):
            assert await uow.stock.adjust(a_movement(scene.shift.id, item.id, level)) is not None
        await uow.commit()


async def with_tickets(
    uow_factory: UnitOfWorkFactory,
    orders: Iterable[Order],
    ticket: Callable[[Order], Ticket] = a_ticket,
) -> list[tuple[Order, Ticket]]:
    """Each order stored with its NEW ticket (``ticket(order)``), in one committed unit."""
    placed = [(order, ticket(order)) for order in orders]
    async with uow_factory() as uow:
        for order, its_ticket in placed:
            await uow.orders.add(order)
            await uow.tickets.add(its_ticket)
        await uow.commit()
    return placed


async def a_new_ticket(uow_factory: UnitOfWorkFactory) -> Ticket:
    """A NEW ticket, at version 1, for an order of a fresh one-item shift scene."""
    scene = await a_shift_scene(uow_factory, items=1)
    [(_, ticket)] = await with_tickets(uow_factory, [an_order(scene.shift.id, list(scene.items))])
    return ticket
