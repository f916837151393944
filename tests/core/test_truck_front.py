"""A truck's public front, on the in-memory adapters with a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.errors import InvalidInput
from fusionx.core.model.staff import Role
from fusionx.core.use_cases.commands.check_in_truck import CheckInRequest, CheckInTruck
from fusionx.core.use_cases.commands.create_location import CreateLocation, CreateLocationRequest
from fusionx.core.use_cases.queries.list_open_trucks import (
    MAX_RADIUS_KM,
    ListOpenTrucks,
    NearbyTrucksRequest,
)
from fusionx.core.use_cases.queries.view_truck_front import ViewTruckFront
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import as_principal, make_staff, make_truck


@pytest.mark.parametrize("radius_km", [0.0, -1.0, MAX_RADIUS_KM + 0.1])
async def test_a_radius_out_of_range_is_refused_naming_it(
    adapters: Adapters, radius_km: float
) -> None:
    request = NearbyTrucksRequest(latitude=48.8, longitude=2.3, radius_km=radius_km)

    with pytest.raises(InvalidInput) as refused:
        await ListOpenTrucks(adapters.uow(), adapters.clock).execute(request)

    assert refused.value.field == "radius_km"


async def test_without_hours_the_day_of_a_clock_change_is_open_its_23_hours(
    adapters: Adapters, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 3, 29, 12, 0, tzinfo=UTC))  # Paris springs forward at 02:00
    truck = await make_truck(adapters)
    owner = await make_staff(adapters, role=Role.OWNER)
    location = await CreateLocation(adapters.uow(), adapters.clock, adapters.ids).execute(
        None, CreateLocationRequest(name="Quay", timezone="Europe/Paris")
    )
    await CheckInTruck(adapters.uow(), adapters.clock, adapters.ids).execute(
        as_principal(owner), CheckInRequest(truck_id=truck.id, location_id=location.id)
    )

    front = await ViewTruckFront(adapters.uow(), adapters.clock).execute(truck.id)

    [day] = front.hours_today
    assert (day.opens_at, day.closes_at) == (
        datetime(2026, 3, 28, 23, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 22, 0, tzinfo=UTC),
    )
    assert (front.open_now, front.open_later_today, front.taking_orders) == (True, False, True)
