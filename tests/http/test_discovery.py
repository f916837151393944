"""What the staff app discovers: the caller's trucks and where to check in."""

from __future__ import annotations

import pytest

from fusionx.core.use_cases.commands.create_location import CreateLocation, CreateLocationRequest

MY_TRUCKS = "/api/v1/me/trucks"
LOCATIONS = "/api/v1/locations"


async def test_my_trucks_are_the_ones_i_work_on_with_their_open_shift(
    client, fleet, manager, taco_shift
):
    response = await client.get(MY_TRUCKS, headers=manager)

    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "id": str(fleet.taco.id),
                "name": "Taco Titan",
                "open_shift": {
                    "id": str(taco_shift.id),
                    "state": "open",
                    "location_id": str(fleet.plaza.id),
                    "location_name": "Market Plaza",
                    "since": taco_shift.opened_at.isoformat().replace("+00:00", "Z"),
                },
            }
        ],
        "total": 1,
        "limit": 50,
        "offset": 0,
    }


async def test_an_owner_sees_every_truck_by_name(client, fleet, sign_in, taco_shift):
    owner = await sign_in(fleet.owner)

    body = (await client.get(MY_TRUCKS, headers=owner)).json()

    assert [(t["name"], t["open_shift"] is None) for t in body["items"]] == [
        ("Curry On", True),
        ("Taco Titan", False),
    ]
    paged = (await client.get(MY_TRUCKS, params={"limit": 1, "offset": 1}, headers=owner)).json()
    assert ([t["name"] for t in paged["items"]], paged["total"]) == (["Taco Titan"], 2)


async def test_a_device_sees_its_own_truck(client, fleet, taco_device):
    body = (await client.get(MY_TRUCKS, headers=taco_device)).json()

    assert [t["id"] for t in body["items"]] == [str(fleet.taco.id)]


@pytest.fixture
async def places(adapters):
    create = CreateLocation(adapters.uow(), adapters.clock, adapters.ids)
    for name, lat, lon in (
        ("Louvre", 48.8606, 2.3376),
        ("Bastille", 48.8532, 2.3692),
        ("Versailles", 48.8049, 2.1204),
        ("Nowhere", None, None),
    ):
        await create.execute(
            None,
            CreateLocationRequest(name=name, timezone="Europe/Paris", latitude=lat, longitude=lon),
        )


async def test_locations_near_me_come_nearest_first_with_their_distance(client, manager, places):
    # At the Hôtel de Ville.
    params = {"active": "true", "lat": "48.8566", "lon": "2.3522"}
    response = await client.get(LOCATIONS, params=params, headers=manager)

    assert response.status_code == 200
    found = [(loc["name"], loc["distance_m"]) for loc in response.json()["items"]]
    names = [name for name, _ in found]
    assert names[:3] == ["Louvre", "Bastille", "Versailles"]
    distances = dict(found)
    assert 1_100 <= distances["Louvre"] <= 1_200
    assert 1_250 <= distances["Bastille"] <= 1_350
    assert 17_500 <= distances["Versailles"] <= 18_300
    assert distances["Nowhere"] is None
    assert names[-2:] == ["Market Plaza", "Nowhere"]  # no coordinates: last, by name


async def test_without_a_position_locations_come_by_name(client, manager, places):
    body = (await client.get(LOCATIONS, headers=manager)).json()

    assert [loc["name"] for loc in body["items"]] == [
        "Bastille",
        "Louvre",
        "Market Plaza",
        "Nowhere",
        "Versailles",
    ]
    assert {loc["distance_m"] for loc in body["items"]} == {None}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lat": "48.8"}, "lon"),
        ({"lon": "2.3"}, "lat"),
        ({"lat": "91", "lon": "0"}, "lat"),
    ],
)
async def test_a_half_or_impossible_position_is_422(client, manager, params, field):
    response = await client.get(LOCATIONS, params=params, headers=manager)

    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_devices_do_not_list_locations(client, taco_device):
    assert (await client.get(LOCATIONS, headers=taco_device)).status_code == 403
