"""Demo data for a fresh laptop: two trucks, two locations, one account per role, a
menu and a TruckKDS tablet for the first truck. No shift: clients check in themselves.

Idempotent record by record: each demo record is looked up by its name (or email, or
label) and created only when missing, so a second run adds nothing and describes the
same fleet. A device credential is shown once, by the run that registers the device;
only its hash is stored. Never run against production (``serve`` seeds only when
``FUSIONX_DEMO_DATA=true`` or ``--demo`` is given).
"""

from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.devices import Platform
from fusionx.core.model.paging import MAX_PAGE_SIZE, PageRequest
from fusionx.core.model.principals import StaffPrincipal
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.use_cases.create_location import CreateLocation, CreateLocationRequest
from fusionx.core.use_cases.create_menu_entries import (
    CreateCategoryRequest,
    CreateItemRequest,
    CreateMenuEntries,
)
from fusionx.core.use_cases.create_staff import CreateStaff, CreateStaffRequest
from fusionx.core.use_cases.create_truck import CreateTruck, CreateTruckRequest
from fusionx.core.use_cases.register_device import RegisterDevice, RegisterDeviceRequest
from fusionx.entrypoints.bootstrap import Adapters

DEMO_PASSWORD = "fusionx-demo-password"  # noqa: S105 - published in the README
DEMO_ACCOUNTS = (
    ("owner@demo.fusionx.test", "Olive Owner", Role.OWNER),
    ("manager@demo.fusionx.test", "Manny Manager", Role.MANAGER),
    ("crew@demo.fusionx.test", "Cris Crew", Role.CREW),
)
DEMO_MANAGER_EMAIL = DEMO_ACCOUNTS[1][0]
DEMO_TRUCKS = ("Taco Titan", "Noodle Nomad")
DEMO_LOCATIONS = (
    CreateLocationRequest(
        name="Riverside Market",
        timezone="Europe/London",
        address="1 Riverside Walk, London",
        latitude=51.5072,
        longitude=-0.1276,
    ),
    CreateLocationRequest(
        name="Canal Yard",
        timezone="Europe/London",
        address="12 Towpath Lane, London",
        latitude=51.5362,
        longitude=-0.0760,
    ),
)
DEMO_MENU: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = (
    ("Tacos", (("Carnitas taco", 450), ("Chicken tinga taco", 425), ("Nopal taco", 400))),
    ("Noodles", (("Dan dan noodles", 950), ("Pad see ew", 1050), ("Cold sesame noodles", 850))),
    ("Sides", (("Elote", 375), ("Pickled slaw", 250))),
    ("Drinks", (("Horchata", 325), ("Lime agua fresca", 300), ("Sparkling water", 200))),
)
DEMO_DEVICE_LABEL = "Demo pass tablet"


class DemoAccount(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    email: str
    name: str
    role: Role


class DemoRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str


class DemoItem(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    price_cents: int


class DemoCategory(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    items: list[DemoItem]


class DemoDevice(msgspec.Struct, frozen=True, kw_only=True):
    """``credential`` is set only by the run that registered the device."""

    id: UUID
    truck_id: UUID
    label: str
    credential: str | None = None


class DemoFleet(msgspec.Struct, frozen=True, kw_only=True):
    """What the demo data holds; ``created`` tells whether this run added anything."""

    created: bool
    password: str
    accounts: list[DemoAccount]
    trucks: list[DemoRecord]
    locations: list[DemoRecord]
    categories: list[DemoCategory]
    device: DemoDevice


async def seed_demo_data(adapters: Adapters) -> DemoFleet:
    """Add whatever part of the demo fleet is missing and describe all of it."""
    return await _Seeder(adapters).run()


class _Seeder:
    def __init__(self, adapters: Adapters) -> None:
        self._a = adapters
        self._created = False

    async def run(self) -> DemoFleet:
        trucks = await self._trucks()
        locations = await self._locations()
        staff = [
            await self._staff(email, name, role, trucks[0].id)
            for email, name, role in DEMO_ACCOUNTS
        ]
        categories = await self._menu()
        device = await self._device(staff[0], trucks[0].id)
        return DemoFleet(
            created=self._created,
            password=DEMO_PASSWORD,
            accounts=[DemoAccount(id=s.id, email=s.email, name=s.name, role=s.role) for s in staff],
            trucks=trucks,
            locations=locations,
            categories=categories,
            device=device,
        )

    async def _trucks(self) -> list[DemoRecord]:
        async with self._a.uow() as uow:
            existing = {t.name: t.id for t in await uow.trucks.list_all()}
        for name in DEMO_TRUCKS:
            if name not in existing:
                create = CreateTruck(self._a.uow(), self._a.clock, self._a.ids)
                existing[name] = (await create.execute(CreateTruckRequest(name=name))).id
                self._created = True
        return [DemoRecord(id=existing[name], name=name) for name in DEMO_TRUCKS]

    async def _locations(self) -> list[DemoRecord]:
        async with self._a.uow() as uow:
            existing = {loc.name: loc.id for loc in await uow.locations.list_all()}
        for request in DEMO_LOCATIONS:
            if request.name not in existing:
                create = CreateLocation(self._a.uow(), self._a.clock, self._a.ids)
                existing[request.name] = (await create.execute(request)).id
                self._created = True
        return [DemoRecord(id=existing[r.name], name=r.name) for r in DEMO_LOCATIONS]

    async def _staff(self, email: str, name: str, role: Role, truck_id: UUID) -> StaffMember:
        async with self._a.uow() as uow:
            found = await uow.staff.get_by_email(email)
        if found is not None:
            return found
        self._created = True
        create = CreateStaff(self._a.uow(), self._a.hasher, self._a.clock, self._a.ids)
        return await create.execute(
            CreateStaffRequest(
                email=email,
                password=DEMO_PASSWORD,
                name=name,
                role=role,
                truck_ids=frozenset() if role.is_fleet_wide else frozenset({truck_id}),
            )
        )

    async def _menu(self) -> list[DemoCategory]:
        async with self._a.uow() as uow:
            categories = {c.name: c.id for c in await uow.menu.categories()}
            items = {(i.category_id, i.name): i for i in await uow.menu.items()}
        entries = CreateMenuEntries(self._a.uow(), self._a.clock, self._a.ids)
        menu = []
        for order, (category_name, dishes) in enumerate(DEMO_MENU):
            if category_name not in categories:
                request = CreateCategoryRequest(name=category_name, display_order=order)
                categories[category_name] = (await entries.category(request)).id
                self._created = True
            category_id = categories[category_name]
            demo_items = []
            for position, (name, price_cents) in enumerate(dishes):
                item = items.get((category_id, name))
                if item is None:
                    item = await entries.item(
                        CreateItemRequest(
                            category_id=category_id,
                            name=name,
                            price_cents=price_cents,
                            display_order=position,
                        )
                    )
                    self._created = True
                demo_items.append(
                    DemoItem(id=item.id, name=item.name, price_cents=item.price_cents)
                )
            menu.append(DemoCategory(id=category_id, name=category_name, items=demo_items))
        return menu

    async def _device(self, owner: StaffMember, truck_id: UUID) -> DemoDevice:
        async with self._a.uow() as uow:
            page = await uow.devices.list_for_truck(truck_id, PageRequest(limit=MAX_PAGE_SIZE))
        for device in page.items:
            if device.label == DEMO_DEVICE_LABEL and not device.revoked:
                return DemoDevice(id=device.id, truck_id=truck_id, label=device.label)
        # The seed acts as the owner without signing in, so there is no session token.
        owner_principal = StaffPrincipal(staff=owner, token_id=self._a.ids.new_id())
        registered = await RegisterDevice(self._a.uow(), self._a.clock, self._a.ids).execute(
            owner_principal,
            RegisterDeviceRequest(
                truck_id=truck_id,
                label=DEMO_DEVICE_LABEL,
                platform=Platform.IPADOS,
                app_version="1.0.0",
                os_version="17.5",
            ),
        )
        self._created = True
        return DemoDevice(
            id=registered.device.id,
            truck_id=truck_id,
            label=DEMO_DEVICE_LABEL,
            credential=registered.credential,
        )


def describe_fleet(fleet: DemoFleet) -> str:
    """The demo fleet for a person at a terminal: who to sign in as, and the ids."""
    lines = ["demo data " + ("added" if fleet.created else "already present, nothing changed")]
    lines.append(f"sign in with password {fleet.password!r} as:")
    lines += [f"  {a.email:<28} {a.role.value:<8} {a.id}" for a in fleet.accounts]
    lines.append("trucks:")
    lines += [f"  {t.name:<28} {t.id}" for t in fleet.trucks]
    lines.append("locations:")
    lines += [f"  {loc.name:<28} {loc.id}" for loc in fleet.locations]
    lines.append("menu:")
    for category in fleet.categories:
        lines.append(f"  {category.name:<28} {category.id}")
        lines += [f"    {i.name:<26} {i.price_cents / 100:>6.2f} {i.id}" for i in category.items]
    device = fleet.device
    lines.append(f"TruckKDS device {device.label!r} on {fleet.trucks[0].name}: {device.id}")
    if device.credential is not None:
        lines.append(f"  credential (shown once, keep it now): {device.credential}")
    else:
        lines.append("  its credential was printed by the run that registered it")
    return "\n".join(lines)
