"""Writing the demo fleet: only ever its own records, and only where it is wanted.

- Each demo record is created under its fixed id (``demo_id``) and found again by it,
  never by name: a truck of yours called "Taco Titan" is not the demo's, and the demo
  never registers a device on it, assigns staff to it or changes it.
- A database that holds records the demo did not make, and none of the demo's, is
  refused unless ``alongside_other_data`` is given: the demo accounts' password is
  public. Once seeded there (on purpose), later runs top the demo up as anywhere else.
- A demo account's email taken by someone else's account is always refused.
- Idempotent: a run adds what is missing and describes the same fleet. It changes
  nothing that exists, not even a demo record someone edited since. A device
  credential is shown once, by the run that registers the device; a revoked demo
  device is replaced by a new one.
"""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from fusionx.core.errors import Conflict
from fusionx.core.model.devices import Platform
from fusionx.core.model.menu import TruckMenuEntry
from fusionx.core.model.principals import StaffPrincipal
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.use_cases.commands.create_location import CreateLocationRequest
from fusionx.core.use_cases.commands.create_menu_entries import (
    CreateCategoryRequest,
    CreateItemRequest,
    CreateMenuEntries,
)
from fusionx.core.use_cases.commands.create_staff import CreateStaffRequest
from fusionx.core.use_cases.commands.create_truck import CreateTruckRequest
from fusionx.core.use_cases.commands.register_device import RegisterDeviceRequest
from fusionx.core.use_cases.commands.set_operating_hours import SetHoursRequest
from fusionx.entrypoints import use_cases
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.demo_data import (
    DEMO_ACCOUNTS,
    DEMO_DEVICE_LABEL,
    DEMO_HOURS,
    DEMO_LOCATIONS,
    DEMO_MENU,
    DEMO_OPENING_STOCK,
    DEMO_PASSWORD,
    DEMO_TRUCKS,
    DemoAccount,
    DemoCategory,
    DemoDevice,
    DemoFleet,
    DemoItem,
    DemoRecord,
    demo_id,
)
from fusionx.ports.id_generator import IdGenerator

# Revoked demo devices are replaced; past this many, the database is not a demo's.
_MAX_DEVICE_GENERATIONS = 100


async def seed_demo_data(adapters: Adapters, *, alongside_other_data: bool = False) -> DemoFleet:
    """Add whatever part of the demo fleet is missing and describe all of it."""
    return await _Seeder(adapters).run(alongside_other_data=alongside_other_data)


def _demo_ids() -> set[UUID]:
    return {
        *(demo_id("truck", name) for name in DEMO_TRUCKS),
        *(demo_id("location", location.name) for location in DEMO_LOCATIONS),
        *(demo_id("category", category) for category, _ in DEMO_MENU),
        *(demo_id("item", f"{c}/{name}") for c, dishes in DEMO_MENU for name, _ in dishes),
    }


class _FixedIds:
    """Ids for the use cases that make demo records: the next one fixed by ``next_is``
    (the first id a use case asks for is its record's own), fresh ones after it."""

    def __init__(self, fresh: IdGenerator) -> None:
        self._next: UUID | None = None
        self._fresh = fresh

    def next_is(self, fixed: UUID) -> _FixedIds:
        self._next = fixed
        return self

    def new_id(self) -> UUID:
        given, self._next = self._next, None
        return given or self._fresh.new_id()


class _Seeder:
    def __init__(self, adapters: Adapters) -> None:
        self._a = adapters
        self._ids = _FixedIds(adapters.ids)
        self._created = False

    async def run(self, *, alongside_other_data: bool) -> DemoFleet:
        await self._check_room(alongside_other_data=alongside_other_data)
        trucks = [await self._truck(name) for name in DEMO_TRUCKS]
        locations = [await self._location(request) for request in DEMO_LOCATIONS]
        staff = [
            await self._staff(email, name, role, trucks[0].id)
            for email, name, role in DEMO_ACCOUNTS
        ]
        owner = StaffPrincipal(staff=staff[0], token_id=self._a.ids.new_id())
        categories = await self._menu()
        items = [item.id for category in categories for item in category.items]
        for truck in trucks:
            await self._truck_menu(owner, truck.id, items)
            await self._truck_hours(owner, truck.id)
        device = await self._device(owner, trucks[0].id)
        return DemoFleet(
            created=self._created,
            password=DEMO_PASSWORD,
            opening_stock=DEMO_OPENING_STOCK,
            accounts=[DemoAccount(id=s.id, email=s.email, name=s.name, role=s.role) for s in staff],
            trucks=trucks,
            locations=locations,
            categories=categories,
            device=device,
        )

    async def _check_room(self, *, alongside_other_data: bool) -> None:
        ours = _demo_ids()
        async with self._a.uow() as uow:
            records = {
                "truck": [t.id for t in await uow.trucks.list_all()],
                "location": [loc.id for loc in await uow.locations.list_all()],
                "menu category": [c.id for c in await uow.menu.categories()],
                "menu item": [i.id for i in await uow.menu.items()],
                "modifier group": [g.id for g in await uow.menu.modifier_groups()],
            }
            accounts = await uow.staff.count()
            for email, _, _ in DEMO_ACCOUNTS:
                holder = await uow.staff.get_by_email(email)
                if holder is not None and holder.id != demo_id("staff", email):
                    raise Conflict(
                        f"the account {email} was not made by the demo seed; "
                        "the demo fleet is not seeded beside it"
                    )
                accounts -= holder is not None
        others = {kind: sum(i not in ours for i in ids) for kind, ids in records.items()}
        others["staff account"] = accounts
        seeded_before = any(i in ours for ids in records.values() for i in ids)
        if any(others.values()) and not seeded_before and not alongside_other_data:
            held = ", ".join(f"{n} {kind}{'s' * (n > 1)}" for kind, n in others.items() if n)
            raise Conflict(
                f"the database holds data the demo did not make ({held}); the demo accounts' "
                "password is public, so seed it there only on purpose: "
                "`fusionx seed --demo --alongside-other-data`"
            )

    def _fixed(self, fixed: UUID) -> Adapters:
        """The adapters, making the next record with the demo's fixed id."""
        return replace(self._a, ids=self._ids.next_is(fixed))

    def _made(self, made: UUID, fixed: UUID) -> None:
        if made != fixed:
            raise RuntimeError(f"a demo record was made as {made}, not as its fixed id {fixed}")
        self._created = True

    async def _truck(self, name: str) -> DemoRecord:
        fixed = demo_id("truck", name)
        async with self._a.uow() as uow:
            found = await uow.trucks.get(fixed)
        if found is None:
            create = use_cases.create_truck(self._fixed(fixed))
            self._made((await create.execute(None, CreateTruckRequest(name=name))).id, fixed)
        return DemoRecord(id=fixed, name=found.name if found else name)

    async def _location(self, request: CreateLocationRequest) -> DemoRecord:
        fixed = demo_id("location", request.name)
        async with self._a.uow() as uow:
            found = await uow.locations.get(fixed)
        if found is None:
            create = use_cases.create_location(self._fixed(fixed))
            self._made((await create.execute(None, request)).id, fixed)
        return DemoRecord(id=fixed, name=found.name if found else request.name)

    async def _staff(self, email: str, name: str, role: Role, truck_id: UUID) -> StaffMember:
        fixed = demo_id("staff", email)
        async with self._a.uow() as uow:
            found = await uow.staff.get(fixed)
        if found is not None:
            return found
        request = CreateStaffRequest(
            email=email,
            password=DEMO_PASSWORD,
            name=name,
            role=role,
            truck_ids=frozenset() if role.is_fleet_wide else frozenset({truck_id}),
        )
        made = await use_cases.create_staff(self._fixed(fixed)).execute(request)
        self._made(made.id, fixed)
        return made

    async def _menu(self) -> list[DemoCategory]:
        async with self._a.uow() as uow:
            categories = {c.id: c for c in await uow.menu.categories()}
            items = {i.id: i for i in await uow.menu.items()}
        menu = []
        for order, (category_name, dishes) in enumerate(DEMO_MENU):
            category_id = demo_id("category", category_name)
            if category_id not in categories:
                request = CreateCategoryRequest(name=category_name, display_order=order)
                made = await self._entries(category_id).category(request)
                self._made(made.id, category_id)
            demo_items = []
            for position, (name, price_cents) in enumerate(dishes):
                item_id = demo_id("item", f"{category_name}/{name}")
                item = items.get(item_id)
                if item is None:
                    made_item = await self._entries(item_id).item(
                        CreateItemRequest(
                            category_id=category_id,
                            name=name,
                            price_cents=price_cents,
                            display_order=position,
                        )
                    )
                    self._made(made_item.id, item_id)
                shown = (item.name, item.price_cents) if item else (name, price_cents)
                demo_items.append(DemoItem(id=item_id, name=shown[0], price_cents=shown[1]))
            found = categories.get(category_id)
            menu.append(
                DemoCategory(
                    id=category_id, name=found.name if found else category_name, items=demo_items
                )
            )
        return menu

    def _entries(self, fixed: UUID) -> CreateMenuEntries:
        return use_cases.create_menu_entries(self._fixed(fixed))

    async def _truck_menu(self, owner: StaffPrincipal, truck_id: UUID, items: list[UUID]) -> None:
        """Each demo truck sells the demo menu and opens with stock of it, unless its
        menu was chosen since (by the seed or by anyone)."""
        async with self._a.uow() as uow:
            if await uow.menu.truck_menu(truck_id):
                return
        entries = [TruckMenuEntry(item_id=i, opening_stock=DEMO_OPENING_STOCK) for i in items]
        await use_cases.set_truck_menu(self._a).execute(owner, truck_id, entries)
        self._created = True

    async def _truck_hours(self, owner: StaffPrincipal, truck_id: UUID) -> None:
        """Each demo truck is open all day, unless its hours were set since."""
        async with self._a.uow() as uow:
            if (await uow.hours.for_truck(truck_id)).is_set:
                return
        request = SetHoursRequest(hours=DEMO_HOURS)
        await use_cases.set_operating_hours(self._a).for_truck(owner, truck_id, request)
        self._created = True

    async def _device(self, owner: StaffPrincipal, truck_id: UUID) -> DemoDevice:
        for generation in range(_MAX_DEVICE_GENERATIONS):
            fixed = demo_id("device", f"{DEMO_DEVICE_LABEL}#{generation}")
            async with self._a.uow() as uow:
                found = await uow.devices.get(fixed)
            if found is not None and found.revoked:
                continue
            if found is not None:
                return DemoDevice(id=fixed, truck_id=truck_id, label=found.label)
            registered = await use_cases.register_device(self._fixed(fixed)).execute(
                owner,
                RegisterDeviceRequest(
                    truck_id=truck_id,
                    label=DEMO_DEVICE_LABEL,
                    platform=Platform.IPADOS,
                    app_version="1.0.0",
                    os_version="17.5",
                ),
            )
            self._made(registered.device.id, fixed)
            return DemoDevice(
                id=registered.device.id,
                truck_id=truck_id,
                label=DEMO_DEVICE_LABEL,
                credential=registered.credential,
            )
        raise Conflict(f"{_MAX_DEVICE_GENERATIONS} demo devices were revoked: not a demo database")
