"""Test data through the same use cases the product uses, so fixtures obey the rules.

Values a test does not name are drawn (``tests.support.factories``); the domain values
themselves, built without a use case, come from those factories directly.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec
from polyfactory import Use

from fusionx.core.model.menu import MenuItem
from fusionx.core.model.principals import StaffPrincipal
from fusionx.core.model.shifts import Shift
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.model.stock import StockReason
from fusionx.core.model.trucks import Location, Truck
from fusionx.core.use_cases.commands.adjust_stock import AdjustStock, AdjustStockRequest
from fusionx.core.use_cases.commands.check_in_truck import CheckInRequest, CheckInTruck
from fusionx.core.use_cases.commands.create_location import CreateLocation, CreateLocationRequest
from fusionx.core.use_cases.commands.create_menu_entries import (
    CreateCategoryRequest,
    CreateItemRequest,
    CreateMenuEntries,
)
from fusionx.core.use_cases.commands.create_staff import CreateStaff, CreateStaffRequest
from fusionx.core.use_cases.commands.create_truck import CreateTruck, CreateTruckRequest
from fusionx.core.use_cases.commands.register_device import RegisterDeviceRequest
from fusionx.entrypoints.bootstrap import Adapters
from tests.support.factories import DomainFactory, LocationFactory, TruckFactory

PASSWORD = "correct horse battery"


class RegisterDeviceRequestFactory(DomainFactory[RegisterDeviceRequest]):
    """A registration the rules accept: label and versions within their limits."""

    label = Use(lambda: f"{DomainFactory.words(1, 40)} screen")
    app_version = Use(lambda: DomainFactory.__faker__.numerify("#.#.#"))
    os_version = Use(lambda: DomainFactory.__faker__.numerify("##.#"))


async def make_truck(adapters: Adapters, name: str | None = None) -> Truck:
    """A truck named ``name``, or by a drawn name."""
    return await CreateTruck(adapters.uow(), adapters.clock, adapters.ids).execute(
        None, CreateTruckRequest(name=name or TruckFactory.build().name)
    )


async def make_staff(
    adapters: Adapters,
    *,
    role: Role = Role.MANAGER,
    trucks: Iterable[Truck] = (),
    email: str | None = None,
    password: str = PASSWORD,
) -> StaffMember:
    n = adapters.ids.new_id().hex[-6:]
    return await CreateStaff(adapters.uow(), adapters.hasher, adapters.clock, adapters.ids).execute(
        CreateStaffRequest(
            email=email or f"{role.value}-{n}@example.test",
            password=password,
            name=f"{role.value.title()} {n}",
            role=role,
            truck_ids=frozenset(t.id for t in trucks),
        )
    )


def as_principal(staff: StaffMember) -> StaffPrincipal:
    return StaffPrincipal(staff=staff, token_id=staff.id)


async def make_location(adapters: Adapters, name: str | None = None) -> Location:
    """A location in London (times of day in tests are London's), named or by a drawn name."""
    return await CreateLocation(adapters.uow(), adapters.clock, adapters.ids).execute(
        None,
        CreateLocationRequest(name=name or LocationFactory.build().name, timezone="Europe/London"),
    )


async def make_menu(adapters: Adapters, *prices: int) -> list[MenuItem]:
    """One category with an item per price, named Item 1, Item 2…"""
    entries = CreateMenuEntries(adapters.uow(), adapters.clock, adapters.ids)
    category = await entries.category(CreateCategoryRequest(name="Mains"))
    return [
        await CreateMenuEntries(adapters.uow(), adapters.clock, adapters.ids).item(
            CreateItemRequest(
                category_id=category.id, name=f"Item {n}", price_cents=price, display_order=n
            )
        )
        for n, price in enumerate(prices, start=1)
    ]


class ShiftWorld(msgspec.Struct, kw_only=True):
    """A truck with an open shift, its manager, and a stocked menu."""

    truck: Truck
    manager: StaffMember
    shift: Shift
    items: list[MenuItem]

    @property
    def principal(self) -> StaffPrincipal:
        return as_principal(self.manager)


async def open_shift_world(
    adapters: Adapters, *, stock: int = 10, prices: tuple[int, ...] = (850, 400)
) -> ShiftWorld:
    truck = await make_truck(adapters)
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[truck])
    location = await make_location(adapters)
    shift = await CheckInTruck(adapters.uow(), adapters.clock, adapters.ids).execute(
        as_principal(manager), CheckInRequest(truck_id=truck.id, location_id=location.id)
    )
    items = await make_menu(adapters, *prices)
    for item in items:
        if stock:
            await AdjustStock(adapters.uow(), adapters.clock, adapters.ids).execute(
                as_principal(manager),
                AdjustStockRequest(
                    shift_id=shift.id, item_id=item.id, reason=StockReason.RESTOCK, delta=stock
                ),
            )
    return ShiftWorld(truck=truck, manager=manager, shift=shift, items=items)
