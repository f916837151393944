"""Several workers sweep for stale devices at once: each device goes stale once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.events import EventType
from fusionx.core.use_cases.commands.sweep_stale_devices import SweepStaleDevices
from fusionx.entrypoints.settings import Settings
from tests.support.databases import MigratedDatabase, migrated
from tests.support.entities import T0, a_device, a_staff_member
from tests.support.events import stored
from tests.support.races import race
from tests.support.scenes import a_shift_scene
from tests.support.wiring import first_event_once_started, sql_wiring


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

    async def one_worker(_: int) -> int:
        return len(await SweepStaleDevices(uow_factory, clock, timedelta(seconds=90)).execute())

    marked = await race(8, one_worker)

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

    async with sql_wiring(Settings(database_url=url, device_stale_seconds=60)) as adapters:
        event = await first_event_once_started(adapters, scene.shift.id)

    assert adapters.device_stale_after == timedelta(seconds=60)
    assert event is not None
    assert (event.type, stored(event)["device_id"]) == (EventType.DEVICE_STALE, str(device.id))
