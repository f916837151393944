from __future__ import annotations

from datetime import date, time

import msgspec

from fusionx.core.model.hours import DatedHours, Interval, OperatingHours, WeeklyInterval
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


async def test_trucks_and_locations_are_updated_in_place(uow_factory: UnitOfWorkFactory) -> None:
    truck, location = a_truck("Bao Bus"), a_location("Harbour")
    async with uow_factory() as uow:
        await uow.trucks.add(truck)
        await uow.locations.add(location)
        await uow.commit()
    retired = truck.renamed("Bao Van").deactivated()
    moved = msgspec.structs.replace(location, timezone="Asia/Tokyo", latitude=None, longitude=None)

    async with uow_factory() as uow:
        await uow.trucks.update(retired)
        await uow.locations.update(moved)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.trucks.get(truck.id) == retired
        assert await uow.locations.get(location.id) == moved
        assert await uow.trucks.list_all() == [retired]


HOURS = OperatingHours(
    weekly=(
        WeeklyInterval(day=1, opens=time(11), closes=time(14)),
        WeeklyInterval(day=5, opens=time(22, 30), closes=time(2), overnight=True),
    ),
    exceptions=(
        DatedHours(date=date(2026, 12, 25)),
        DatedHours(date=date(2026, 7, 14), intervals=(Interval(opens=time(20), closes=time(23)),)),
    ),
)


async def test_operating_hours_round_trip_replace_and_clear(uow_factory: UnitOfWorkFactory) -> None:
    truck, location = a_truck(), a_location()
    async with uow_factory() as uow:
        await uow.trucks.add(truck)
        await uow.locations.add(location)
        assert await uow.hours.for_truck(truck.id) == OperatingHours()
        await uow.hours.set_for_truck(truck.id, HOURS)
        await uow.hours.set_for_location(location.id, HOURS)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.hours.for_truck(truck.id) == HOURS
        assert await uow.hours.for_location(location.id) == HOURS
        assert await uow.hours.for_location(truck.id) == OperatingHours()  # kept apart
        fewer = OperatingHours(weekly=HOURS.weekly[:1])
        await uow.hours.set_for_truck(truck.id, fewer)
        await uow.hours.set_for_location(location.id, OperatingHours())
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.hours.for_truck(truck.id) == fewer
        assert await uow.hours.for_location(location.id) == OperatingHours()


async def test_hours_set_in_a_unit_that_rolls_back_are_not_kept(
    uow_factory: UnitOfWorkFactory,
) -> None:
    truck = a_truck()
    async with uow_factory() as uow:
        await uow.trucks.add(truck)
        await uow.commit()
    async with uow_factory() as uow:
        await uow.hours.set_for_truck(truck.id, HOURS)
    async with uow_factory() as uow:
        assert await uow.hours.for_truck(truck.id) == OperatingHours()
