"""Several workers sweep for stale devices at once: each device goes stale once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.events import EventType
from fusionx.core.use_cases.sweep_stale_devices import SweepStaleDevices
from fusionx.entrypoints.bootstrap import sql_adapters
from fusionx.entrypoints.settings import Settings
from tests.support.databases import MigratedDatabase, migrated
from tests.support.entities import T0, a_device, a_staff_member
from tests.support.events import stored
from tests.support.scenes import a_shift_scene


async def test_racing_sweeps_record_each_stale_device_once(
    racing_database: MigratedDatabase,
) -> None:
    uow_factory = racing_database.database.unit_of_work
    scene = await a_shift_scene(uow_factory, items=0)
    registrar = a_staff_member()
    devices = [a_device(scene.truck.id, registrar.id, last_seen_at=T0) for _ in range(3)]
    async with uow_factory() as uow:
        await uow.staff.add(registrar)
        for device in devices:
            await uow.devices.add(device)
        await uow.commit()
    clock = ManualClock(T0 + timedelta(minutes=10))
    start = asyncio.Barrier(8)

    async def one_worker() -> int:
        await start.wait()
        return len(await SweepStaleDevices(uow_factory, clock, timedelta(seconds=90)).execute())

    async with asyncio.timeout(60):
        marked = await asyncio.gather(*(one_worker() for _ in range(8)))

    assert sum(marked) == 3
    async with uow_factory() as uow:
        events = await uow.events.since(scene.shift.id, 0)
    stale = [e for e in events if e.type is EventType.DEVICE_STALE]
    assert sorted(stored(e)["device_id"] for e in stale) == sorted(str(d.id) for d in devices)


async def test_the_started_app_sweeps_a_device_silent_since_before_it_started(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}"
    async with migrated(url) as before:
        uow_factory = before.database.unit_of_work
        scene = await a_shift_scene(uow_factory, items=0)
        registrar = a_staff_member()
        device = a_device(
            scene.truck.id, registrar.id, last_seen_at=datetime.now(UTC) - timedelta(minutes=5)
        )
        async with uow_factory() as uow:
            await uow.staff.add(registrar)
            await uow.devices.add(device)
            await uow.commit()

    adapters = sql_adapters(Settings(database_url=url, device_stale_seconds=60))
    async with adapters.bus.subscribe(scene.shift.id) as feed:
        for hook in adapters.on_startup:
            await hook()
        try:
            async with asyncio.timeout(30):
                event = await feed.next()
        finally:
            for hook in adapters.on_shutdown:
                await hook()

    assert adapters.device_stale_after == timedelta(seconds=60)
    assert event is not None
    assert (event.type, stored(event)["device_id"]) == (EventType.DEVICE_STALE, str(device.id))
