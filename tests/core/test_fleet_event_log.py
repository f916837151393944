"""Privileged changes outside a shift are logged on the fleet's streams, with who made
them, in the same unit of work as the change."""

from __future__ import annotations

import msgspec
import pytest

from fusionx.core.errors import PermissionDenied
from fusionx.core.model.actors import Actor, actor_of
from fusionx.core.model.capacity import CapacityLimits, PickupSlots
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.fleet_events import (
    DeviceRegistered,
    DeviceRevoked,
    FleetEvent,
    LocationCreated,
    MenuCategoryAdded,
    MenuItemAdded,
    MenuItemChanged,
    StaffCreated,
    Stream,
    TruckCapacitySet,
    TruckCreated,
)
from fusionx.core.model.staff import Role
from fusionx.core.use_cases.commands.change_menu_item import ChangeItemRequest, ChangeMenuItem
from fusionx.core.use_cases.commands.register_device import RegisterDevice
from fusionx.core.use_cases.commands.revoke_device import RevokeDevice
from fusionx.core.use_cases.commands.set_capacity import SetCapacity, SetCapacityRequest
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import (
    RegisterDeviceRequestFactory,
    as_principal,
    make_location,
    make_menu,
    make_staff,
    make_truck,
)


async def _stream(adapters: Adapters, stream: Stream) -> list[FleetEvent]:
    async with adapters.uow() as uow:
        return await uow.fleet_events.read(stream)


async def test_what_the_command_line_creates_is_logged_as_done_by_the_system(
    adapters: Adapters,
) -> None:
    truck = await make_truck(adapters)
    location = await make_location(adapters)
    owner = await make_staff(adapters, role=Role.OWNER)
    [item] = await make_menu(adapters, 850)

    [created] = await _stream(adapters, Stream.truck(truck.id))
    fleet = await _stream(adapters, Stream.fleet())

    assert (created.seq, created.actor, created.data) == (1, None, TruckCreated(truck=truck))
    assert [(e.seq, e.actor) for e in fleet] == [(n, None) for n in range(1, 5)]
    assert fleet[0].data == LocationCreated(location=location)
    assert fleet[1].data == StaffCreated.of(owner)
    assert isinstance(fleet[2].data, MenuCategoryAdded)
    assert fleet[3].data == MenuItemAdded(item=item)
    # Who the account is, never its password hash.
    assert owner.password_hash not in msgspec.json.encode(fleet[1].data).decode()


async def test_a_price_change_names_who_made_it_and_the_price_before_and_after(
    adapters: Adapters,
) -> None:
    admin = await make_staff(adapters, role=Role.ADMIN)
    [item] = await make_menu(adapters, 850)

    changed = await ChangeMenuItem(adapters.uow(), adapters.clock).execute(
        as_principal(admin), ChangeItemRequest(item_id=item.id, price_cents=990)
    )

    last = (await _stream(adapters, Stream.fleet()))[-1]
    assert last.actor == actor_of(as_principal(admin))
    assert last.at == adapters.clock.now()
    assert last.data == MenuItemChanged(before=item, after=changed)
    assert (last.data.before.price_cents, last.data.after.price_cents) == (850, 990)


async def test_devices_registered_and_revoked_are_on_their_trucks_stream(
    adapters: Adapters,
) -> None:
    truck = await make_truck(adapters)
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[truck])
    principal = as_principal(manager)

    registered = await RegisterDevice(adapters.uow(), adapters.clock, adapters.ids).execute(
        principal, RegisterDeviceRequestFactory.build(truck_id=truck.id)
    )
    await RevokeDevice(adapters.uow(), adapters.clock).execute(principal, registered.device.id)

    events = await _stream(adapters, Stream.truck(truck.id))
    device = registered.device
    revoked = DeviceRevoked(device_id=device.id, truck_id=truck.id, label=device.label)
    assert [(e.seq, e.actor, e.data) for e in events[1:]] == [
        (2, actor_of(principal), DeviceRegistered(device=device)),
        (3, actor_of(principal), revoked),
    ]


async def test_a_trucks_capacity_defaults_are_logged_with_the_ones_they_replace(
    adapters: Adapters,
) -> None:
    truck = await make_truck(adapters)
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[truck])
    first = CapacityLimits(slots=PickupSlots(slot_minutes=15, orders_per_slot=2))
    second = CapacityLimits(slots=PickupSlots(slot_minutes=10, orders_per_slot=3))
    capacity = SetCapacity(adapters.uow(), adapters.clock)

    for limits in (first, second):
        await capacity.for_truck(as_principal(manager), truck.id, SetCapacityRequest(limits=limits))

    events = await _stream(adapters, Stream.truck(truck.id))
    assert [e.data for e in events[1:]] == [
        TruckCapacitySet(truck_id=truck.id, before=None, after=first),
        TruckCapacitySet(truck_id=truck.id, before=first, after=second),
    ]
    assert {e.actor for e in events[1:]} == {Actor(kind=PrincipalKind.STAFF, id=manager.id)}


async def test_a_refused_change_logs_nothing(adapters: Adapters) -> None:
    truck = await make_truck(adapters)
    crew = await make_staff(adapters, role=Role.CREW, trucks=[truck])

    with pytest.raises(PermissionDenied):
        await RegisterDevice(adapters.uow(), adapters.clock, adapters.ids).execute(
            as_principal(crew), RegisterDeviceRequestFactory.build(truck_id=truck.id)
        )

    assert [e.seq for e in await _stream(adapters, Stream.truck(truck.id))] == [1]
