from __future__ import annotations

from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import a_location, a_truck, new_id


async def test_a_truck_round_trips(uow_factory: UnitOfWorkFactory) -> None:
    truck = a_truck(active=False)
    async with uow_factory() as uow:
        await uow.trucks.add(truck)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.trucks.get(truck.id) == truck
        assert await uow.trucks.get(new_id()) is None


async def test_trucks_are_listed_by_name(uow_factory: UnitOfWorkFactory) -> None:
    trucks = [a_truck("Waffle Wagon"), a_truck("Bao Bus"), a_truck("Momo Van")]
    async with uow_factory() as uow:
        for truck in trucks:
            await uow.trucks.add(truck)
        await uow.commit()

    async with uow_factory() as uow:
        listed = await uow.trucks.list_all()

    assert [t.name for t in listed] == ["Bao Bus", "Momo Van", "Waffle Wagon"]


async def test_a_location_round_trips_with_every_field(uow_factory: UnitOfWorkFactory) -> None:
    full = a_location()
    bare = a_location("Depot", address=None, latitude=None, longitude=None, active=False)
    async with uow_factory() as uow:
        await uow.locations.add(full)
        await uow.locations.add(bare)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.locations.get(full.id) == full
        assert await uow.locations.get(bare.id) == bare
        assert await uow.locations.get(new_id()) is None


async def test_locations_are_listed_by_name_and_can_skip_inactive(
    uow_factory: UnitOfWorkFactory,
) -> None:
    market = a_location("Market Square")
    closed = a_location("Harbour", active=False)
    campus = a_location("Campus")
    async with uow_factory() as uow:
        for location in (market, closed, campus):
            await uow.locations.add(location)
        await uow.commit()

    async with uow_factory() as uow:
        everything = await uow.locations.list_all()
        active = await uow.locations.list_all(active_only=True)

    assert everything == [campus, closed, market]
    assert active == [campus, market]
