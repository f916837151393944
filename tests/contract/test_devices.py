from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import msgspec
import pytest

from fusionx.core.model.devices import Platform
from fusionx.core.model.paging import PageRequest
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, a_device, a_staff_member, a_truck, new_id


@pytest.fixture
async def truck_ids(uow_factory: UnitOfWorkFactory) -> tuple[UUID, UUID]:
    """Two trucks, for devices to belong to."""
    trucks = (a_truck("Bao Bus"), a_truck("Momo Van"))
    async with uow_factory() as uow:
        for truck in trucks:
            await uow.trucks.add(truck)
        await uow.commit()
    return trucks[0].id, trucks[1].id


async def test_a_device_round_trips_with_every_field(
    uow_factory: UnitOfWorkFactory, truck_ids: tuple[UUID, UUID]
) -> None:
    registrar = a_staff_member()
    seen = a_device(truck_ids[0], registrar.id, revoked_at=T0 + timedelta(days=1))
    fresh = a_device(truck_ids[0], registrar.id, last_seen_at=None, platform=Platform.ANDROID)
    async with uow_factory() as uow:
        await uow.staff.add(registrar)
        await uow.devices.add(seen)
        await uow.devices.add(fresh)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.devices.get(seen.id) == seen
        assert await uow.devices.get(fresh.id) == fresh
        assert await uow.devices.get(new_id()) is None


async def test_update_replaces_the_device(
    uow_factory: UnitOfWorkFactory, truck_ids: tuple[UUID, UUID]
) -> None:
    device = a_device(truck_ids[0], new_id())
    async with uow_factory() as uow:
        await uow.devices.add(device)
        await uow.commit()

    revoked = msgspec.structs.replace(
        device,
        label="Old pass tablet",
        app_version="1.5.0",
        os_version="18.3",
        last_seen_at=T0 + timedelta(hours=3),
        revoked_at=T0 + timedelta(hours=4),
    )
    async with uow_factory() as uow:
        await uow.devices.update(revoked)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.devices.get(device.id) == revoked


async def test_a_trucks_devices_come_in_pages_oldest_first(
    uow_factory: UnitOfWorkFactory, truck_ids: tuple[UUID, UUID]
) -> None:
    mine, other = truck_ids
    registrar = new_id()
    # Added out of order; two share a creation time, so the id breaks the tie.
    same_time = T0 + timedelta(minutes=2)
    devices = [
        a_device(mine, registrar, created_at=T0 + timedelta(minutes=3)),
        a_device(mine, registrar, id=UUID(int=2), created_at=same_time),
        a_device(mine, registrar, created_at=T0),
        a_device(mine, registrar, id=UUID(int=1), created_at=same_time),
        a_device(mine, registrar, created_at=T0 + timedelta(minutes=1), revoked_at=T0),
    ]
    async with uow_factory() as uow:
        for device in devices:
            await uow.devices.add(device)
        await uow.devices.add(a_device(other, registrar))
        await uow.commit()
    in_order = sorted(devices, key=lambda d: (d.created_at, d.id))

    async with uow_factory() as uow:
        everything = await uow.devices.list_for_truck(mine, PageRequest(limit=50))
        middle = await uow.devices.list_for_truck(mine, PageRequest(limit=2, offset=2))
        past_end = await uow.devices.list_for_truck(mine, PageRequest(limit=2, offset=10))
        nothing = await uow.devices.list_for_truck(new_id(), PageRequest())

    assert everything.items == in_order
    assert (everything.total, everything.limit, everything.offset) == (5, 50, 0)
    assert [d.id for d in middle.items] == [UUID(int=1), UUID(int=2)]
    assert (middle.total, middle.limit, middle.offset) == (5, 2, 2)
    assert (past_end.items, past_end.total) == ([], 5)
    assert (nothing.items, nothing.total) == ([], 0)
