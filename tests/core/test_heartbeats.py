"""Heartbeats and stale devices, on the in-memory adapters and the fake clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.errors import PermissionDenied
from fusionx.core.model.devices import Device, DeviceHealth, Heartbeat
from fusionx.core.model.events import EventType, ShiftEvent
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.principals import DevicePrincipal
from fusionx.core.model.shifts import ShiftState
from fusionx.core.rules.devices import health
from fusionx.core.use_cases.commands.change_shift_state import ChangeShiftRequest, ChangeShiftState
from fusionx.core.use_cases.commands.record_heartbeat import RecordHeartbeat
from fusionx.core.use_cases.commands.register_device import RegisterDevice
from fusionx.core.use_cases.commands.revoke_device import RevokeDevice
from fusionx.core.use_cases.commands.sweep_stale_devices import SweepStaleDevices
from fusionx.core.use_cases.queries.list_truck_devices import ListTruckDevices
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import RegisterDeviceRequestFactory, ShiftWorld, open_shift_world
from tests.support.entities import T0, a_device, new_id
from tests.support.events import stored

WINDOW = timedelta(seconds=90)
BEAT = Heartbeat(
    app_version="2.0.1", os_version="18.1", last_event_seq=7, battery_percent=64, queue_depth=2
)


async def a_device_of(adapters: Adapters, world: ShiftWorld) -> Device:
    registered = await RegisterDevice(adapters.uow(), adapters.clock, adapters.ids).execute(
        world.principal, RegisterDeviceRequestFactory.build(truck_id=world.truck.id)
    )
    return registered.device


async def beat(adapters: Adapters, device: Device, heartbeat: Heartbeat = BEAT) -> Device:
    principal = DevicePrincipal(device=device, token_id=new_id())
    return await RecordHeartbeat(adapters.uow(), adapters.clock).execute(principal, heartbeat)


def sweep(adapters: Adapters) -> SweepStaleDevices:
    return SweepStaleDevices(adapters.uow, adapters.clock, WINDOW)


async def device_events(adapters: Adapters, world: ShiftWorld) -> list[ShiftEvent]:
    async with adapters.uow() as uow:
        events = await uow.events.since(world.shift.id, 0)
    return [e for e in events if e.type.value.startswith("device.")]


def test_health_follows_the_last_heartbeat() -> None:
    device = a_device(new_id(), new_id(), last_seen_at=T0)

    assert health(device, T0 + WINDOW, WINDOW) is DeviceHealth.ONLINE
    assert health(device, T0 + WINDOW + timedelta(seconds=1), WINDOW) is DeviceHealth.STALE
    never = a_device(new_id(), new_id(), last_seen_at=None)
    assert health(never, T0, WINDOW) is DeviceHealth.NEVER_SEEN
    revoked = a_device(new_id(), new_id(), revoked_at=T0)
    assert health(revoked, T0, WINDOW) is DeviceHealth.REVOKED


async def test_a_heartbeat_records_what_the_device_reports(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await open_shift_world(adapters, stock=0)
    device = await a_device_of(adapters, world)
    clock.advance(timedelta(seconds=5))

    seen = await beat(adapters, device)

    async with adapters.uow() as uow:
        stored = await uow.devices.get(device.id)
    assert stored == seen
    assert (seen.last_seen_at, seen.app_version, seen.os_version) == (clock.now(), "2.0.1", "18.1")
    assert (seen.last_event_seq, seen.battery_percent, seen.queue_depth) == (7, 64, 2)


async def test_staff_do_not_send_heartbeats(adapters: Adapters) -> None:
    world = await open_shift_world(adapters, stock=0)
    with pytest.raises(PermissionDenied):
        await RecordHeartbeat(adapters.uow(), adapters.clock).execute(world.principal, BEAT)


async def test_a_silent_device_goes_stale_once_and_comes_back_online(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await open_shift_world(adapters, stock=0)
    device = await a_device_of(adapters, world)
    await beat(adapters, device)

    clock.advance(WINDOW)
    assert await sweep(adapters).execute() == []  # exactly the window: still online
    clock.advance(timedelta(seconds=1))
    assert [d.id for d in await sweep(adapters).execute()] == [device.id]
    assert await sweep(adapters).execute() == []  # recorded once

    listed = await ListTruckDevices(adapters.uow(), adapters.clock, WINDOW).tracked(
        world.principal, world.truck.id, PageRequest()
    )
    assert [t.health for t in listed.items] == [DeviceHealth.STALE]
    stale_at = clock.now()
    clock.advance(timedelta(minutes=3))
    await beat(adapters, device)

    events = await device_events(adapters, world)
    assert [e.type for e in events] == [EventType.DEVICE_STALE, EventType.DEVICE_BACK_ONLINE]
    assert stored(events[0])["device_id"] == str(device.id)
    assert events[0].at == stale_at
    assert stored(events[1])["stale_since"] == stale_at.isoformat().replace("+00:00", "Z")
    # Online again, it can go stale again later.
    clock.advance(WINDOW + timedelta(seconds=1))
    assert len(await sweep(adapters).execute()) == 1


async def test_without_an_open_shift_a_device_goes_stale_quietly(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await open_shift_world(adapters, stock=0)
    device = await a_device_of(adapters, world)
    await beat(adapters, device)
    await ChangeShiftState(adapters.uow(), adapters.clock).execute(
        world.principal, ChangeShiftRequest(shift_id=world.shift.id, target=ShiftState.CLOSED)
    )
    clock.advance(timedelta(minutes=5))

    assert len(await sweep(adapters).execute()) == 1
    await beat(adapters, device)

    assert await device_events(adapters, world) == []


async def test_never_seen_and_revoked_devices_are_not_swept(
    adapters: Adapters, clock: ManualClock
) -> None:
    world = await open_shift_world(adapters, stock=0)
    await a_device_of(adapters, world)  # never sends a heartbeat
    revoked = await a_device_of(adapters, world)
    await beat(adapters, revoked)
    await RevokeDevice(adapters.uow(), adapters.clock).execute(world.principal, revoked.id)
    clock.advance(timedelta(hours=1))

    assert await sweep(adapters).execute() == []
