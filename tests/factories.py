"""Test data through the same use cases the product uses, so fixtures obey the rules."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec
from polyfactory.factories.msgspec_factory import MsgspecFactory

from fusionx.core.model.devices import Platform
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

PASSWORD = "correct horse battery"


class RegisterDeviceRequestFactory(MsgspecFactory[RegisterDeviceRequest]):
    label = "Grill screen"
    platform = Platform.IPADOS
    app_version = "1.4.2"
    os_version = "17.5"


async def make_truck(adapters: Adapters, name: str = "Taco Titan") -> Truck:
    return await CreateTruck(adapters.uow(), adapters.clock, adapters.ids).execute(
        CreateTruckRequest(name=name)
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


async def make_location(adapters: Adapters, name: str = "Riverside Market") -> Location:
    return await CreateLocation(adapters.uow(), adapters.clock, adapters.ids).execute(
        CreateLocationRequest(name=name, timezone="Europe/London")
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
