"""Heartbeat fields and the stale sweep's compare-and-set, on every backend."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, a_device, a_staff_member, a_truck


async def test_heartbeat_fields_round_trip_and_quiet_devices_are_marked_once(
    uow_factory: UnitOfWorkFactory,
) -> None:
    truck, registrar = a_truck(), a_staff_member()
    quiet = a_device(truck.id, registrar.id, last_seen_at=T0)
    later = a_device(truck.id, registrar.id, last_seen_at=T0 + timedelta(seconds=30))
    fresh = a_device(truck.id, registrar.id, last_seen_at=T0 + timedelta(minutes=5))
    never = a_device(truck.id, registrar.id, last_seen_at=None)
    revoked = a_device(truck.id, registrar.id, last_seen_at=T0, revoked_at=T0)
    async with uow_factory() as uow:
        await uow.trucks.add(truck)
        await uow.staff.add(registrar)
        for device in (quiet, later, fresh, never, revoked):
            await uow.devices.add(device)
        await uow.commit()
    cutoff, at = T0 + timedelta(minutes=2), T0 + timedelta(minutes=3, microseconds=7)

    async with uow_factory() as uow:
        found = await uow.devices.gone_quiet(cutoff, 10)
        assert [d.id for d in found] == [quiet.id, later.id]
        assert [d.id for d in await uow.devices.gone_quiet(cutoff, 1)] == [quiet.id]
        assert await uow.devices.mark_stale(quiet.id, cutoff, at)
        assert not await uow.devices.mark_stale(quiet.id, cutoff, at)
        assert not await uow.devices.mark_stale(fresh.id, cutoff, at)
        assert not await uow.devices.mark_stale(never.id, cutoff, at)
        assert not await uow.devices.mark_stale(revoked.id, cutoff, at)
        await uow.commit()

    async with uow_factory() as uow:
        assert [d.id for d in await uow.devices.gone_quiet(cutoff, 10)] == [later.id]
        marked = await uow.devices.get_for_update(quiet.id)
        assert marked == msgspec.structs.replace(quiet, stale_since=at)
        beaten = msgspec.structs.replace(
            marked,
            last_seen_at=at,
            last_event_seq=41,
            battery_percent=12,
            queue_depth=3,
            stale_since=None,
        )
        await uow.devices.update(beaten)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.devices.get(quiet.id) == beaten
