"""Trucks and locations administered over the API: who may, what is checked, what is logged."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from fusionx.core.model.fleet_events import FleetEventType, Stream
from fusionx.core.model.staff import Role
from tests.factories import make_staff
from tests.http.conftest import order_body

TRUCKS = "/api/v1/trucks"
LOCATIONS = "/api/v1/locations"
PROBLEM = "application/problem+json"


@pytest.fixture
async def owner(sign_in, fleet):
    return await sign_in(fleet.owner)


@pytest.fixture
async def crew(sign_in, fleet):
    return await sign_in(fleet.taco_crew)


async def fleet_log(adapters, stream: Stream) -> list[Any]:
    async with adapters.reader() as uow:
        return await uow.fleet_events.read(stream)


def fields_named(response) -> set[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    return {error["field"] for error in response.json()["errors"]}


async def test_owners_see_every_truck_and_managers_their_own(client, fleet, owner, manager):
    everything = (await client.get(TRUCKS, headers=owner)).json()
    own = (await client.get(TRUCKS, headers=manager)).json()

    assert [t["name"] for t in everything["items"]] == ["Curry On", "Taco Titan"]
    assert everything["total"] == 2
    assert [t["id"] for t in own["items"]] == [str(fleet.taco.id)]


async def test_trucks_are_searched_filtered_and_paged(client, fleet, owner):
    created = await client.post(TRUCKS, json={"name": "Bao Bus"}, headers=owner)
    await client.post(f"{TRUCKS}/{created.json()['id']}/deactivate", headers=owner)

    async def names(**params: Any) -> list[str]:
        response = await client.get(TRUCKS, params=params, headers=owner)
        assert response.status_code == 200, response.text
        return [truck["name"] for truck in response.json()["items"]]

    assert await names(q="TI") == ["Taco Titan"]
    assert await names(active="false") == ["Bao Bus"]
    assert await names(active="true") == ["Curry On", "Taco Titan"]
    assert await names(limit=1, offset=1) == ["Curry On"]


async def test_an_owner_creates_renames_deactivates_and_reactivates_a_truck(
    client, adapters, fleet, owner
):
    created = await client.post(TRUCKS, json={"name": " Waffle Wagon "}, headers=owner)
    assert created.status_code == 201, created.text
    truck = created.json()
    assert (truck["name"], truck["active"]) == ("Waffle Wagon", True)
    url = f"{TRUCKS}/{truck['id']}"

    renamed = await client.patch(url, json={"name": "Waffle Wonder"}, headers=owner)
    deactivated = await client.post(f"{url}/deactivate", headers=owner)
    again = await client.post(f"{url}/deactivate", headers=owner)
    shown = await client.get(url, headers=owner)
    reactivated = await client.post(f"{url}/reactivate", headers=owner)

    assert renamed.json()["name"] == "Waffle Wonder"
    assert deactivated.status_code == 200
    assert deactivated.json()["active"] is False
    assert again.status_code == 409
    assert shown.json()["active"] is False  # its record stays readable
    assert reactivated.json()["active"] is True
    log = await fleet_log(adapters, Stream.truck(UUID(truck["id"])))
    assert [event.type for event in log] == [
        FleetEventType.TRUCK_CREATED,
        FleetEventType.TRUCK_CHANGED,
        FleetEventType.TRUCK_DEACTIVATED,
        FleetEventType.TRUCK_REACTIVATED,
    ]
    changed = log[1]
    assert changed.actor.id == fleet.owner.id
    assert (changed.data.before.name, changed.data.after.name) == ("Waffle Wagon", "Waffle Wonder")
    assert (log[2].data.before.active, log[2].data.after.active) == (True, False)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.CREW])
async def test_only_owners_and_admins_create_change_and_retire_trucks(
    client, adapters, fleet, sign_in, role
):
    headers = await sign_in(await make_staff(adapters, role=role, trucks=[fleet.taco]))
    url = f"{TRUCKS}/{fleet.taco.id}"
    answers = [
        await client.post(TRUCKS, json={"name": "Mine"}, headers=headers),
        await client.patch(url, json={"name": "Mine"}, headers=headers),
        await client.post(f"{url}/deactivate", headers=headers),
        await client.post(f"{url}/reactivate", headers=headers),
    ]
    assert [answer.status_code for answer in answers] == [403] * 4


async def test_another_trucks_record_is_not_found(client, fleet, outsiders):
    for headers in outsiders:  # Curry On's manager and its device
        assert (await client.get(f"{TRUCKS}/{fleet.taco.id}", headers=headers)).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": "  "}, "name"), ({"name": "x" * 101}, "name"), ({}, "name"), ({"nme": "x"}, "nme")],
)
async def test_bad_truck_bodies_name_the_field(client, fleet, owner, body, field):
    assert field in fields_named(await client.post(TRUCKS, json=body, headers=owner))
    url = f"{TRUCKS}/{fleet.taco.id}"
    if body:
        assert field in fields_named(await client.patch(url, json=body, headers=owner))


async def test_a_deactivated_truck_takes_no_shift_and_no_order(  # noqa: PLR0917 - fixtures
    client, fleet, owner, manager, taco_shift, restock
):
    await restock(taco_shift, fleet.burrito, 5, manager)
    url = f"{TRUCKS}/{fleet.taco.id}"
    busy = await client.post(f"{url}/deactivate", headers=owner)
    assert busy.status_code == 409  # checked in: check it out first
    assert busy.json()["open_shift_id"] == str(taco_shift.id)
    shift = f"/api/v1/shifts/{taco_shift.id}"
    closed = await client.post(f"{shift}/checkout", headers=manager)
    assert closed.status_code == 200, closed.text
    assert (await client.post(f"{url}/deactivate", headers=owner)).status_code == 200

    check_in = {"truck_id": str(fleet.taco.id), "location_id": str(fleet.plaza.id)}
    refused = await client.post("/api/v1/shifts", json=check_in, headers=manager)
    order = await client.post(
        f"{shift}/orders", json=order_body((fleet.burrito, 1)), headers=manager
    )
    history = await client.get(shift, headers=manager)

    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert "deactivated" in refused.json()["detail"]
    assert order.status_code == 409
    assert history.status_code == 200  # its history stays readable


async def test_an_owner_creates_and_edits_a_location_and_each_step_is_logged(
    client, adapters, fleet, owner
):
    body = {
        "name": "Harbour",
        "timezone": "America/New_York",
        "address": "Pier 4",
        "latitude": 40.7,
        "longitude": -74.0,
    }
    created = await client.post(LOCATIONS, json=body, headers=owner)
    assert created.status_code == 201, created.text
    location = created.json()
    url = f"{LOCATIONS}/{location['id']}"
    untaxed = {"tax_rate_bp": 0, "tax_inclusive": False}
    assert location | {"id": None} == body | {
        "id": None, "active": True, "distance_m": None, **untaxed,
    }  # fmt: skip

    changed = await client.patch(
        url, json={"name": "Old Harbour", "latitude": None, "longitude": None}, headers=owner
    )
    off = await client.post(f"{url}/deactivate", headers=owner)
    on = await client.post(f"{url}/reactivate", headers=owner)
    shown = await client.get(url, headers=owner)

    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["latitude"]) == ("Old Harbour", None)
    assert (off.json()["active"], on.json()["active"]) == (False, True)
    assert shown.json()["name"] == "Old Harbour"
    log = await fleet_log(adapters, Stream.fleet())
    assert [event.type for event in log][-4:] == [
        FleetEventType.LOCATION_CREATED,
        FleetEventType.LOCATION_CHANGED,
        FleetEventType.LOCATION_DEACTIVATED,
        FleetEventType.LOCATION_REACTIVATED,
    ]
    assert log[-3].data.before.latitude == 40.7
    assert log[-3].data.after.latitude is None
    assert log[-3].actor.id == fleet.owner.id


async def test_an_owner_sets_a_locations_tax_and_it_is_logged(client, adapters, fleet, owner):
    url = f"{LOCATIONS}/{fleet.plaza.id}"

    taxed = await client.patch(
        url, json={"tax_rate_bp": 2000, "tax_inclusive": True}, headers=owner
    )
    too_much = await client.patch(url, json={"tax_rate_bp": 10_001}, headers=owner)
    shown = await client.get(url, headers=owner)

    assert taxed.status_code == 200, taxed.text
    assert (shown.json()["tax_rate_bp"], shown.json()["tax_inclusive"]) == (2000, True)
    assert too_much.status_code == 422
    assert [e["field"] for e in too_much.json()["errors"]] == ["tax_rate_bp"]
    change = (await fleet_log(adapters, Stream.fleet()))[-1]
    assert change.type is FleetEventType.LOCATION_CHANGED
    assert (change.data.before.tax_rate_bp, change.data.after.tax_rate_bp) == (0, 2000)


async def test_a_deactivated_location_takes_no_check_in(client, fleet, owner, manager):
    await client.post(f"{LOCATIONS}/{fleet.plaza.id}/deactivate", headers=owner)
    check_in = {"truck_id": str(fleet.taco.id), "location_id": str(fleet.plaza.id)}
    refused = await client.post("/api/v1/shifts", json=check_in, headers=manager)
    assert refused.status_code == 409


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"timezone": "Mars/Olympus"}, {"timezone"}),
        ({"latitude": 91, "longitude": 181}, {"latitude", "longitude"}),
        ({"latitude": 45}, {"longitude"}),
        (
            {"name": " ", "timezone": "Nowhere", "latitude": -90.5, "longitude": 0},
            {"name", "timezone", "latitude"},
        ),
        ({"address": ""}, {"address"}),
        ({"timezone": "x" * 65}, {"timezone"}),
    ],
)
async def test_each_invalid_location_field_is_named(client, fleet, owner, changes, fields):
    body = {"name": "Depot", "timezone": "Europe/Paris"} | changes
    assert fields_named(await client.post(LOCATIONS, json=body, headers=owner)) == fields
    url = f"{LOCATIONS}/{fleet.plaza.id}"
    assert fields_named(await client.patch(url, json=changes, headers=owner)) == fields


async def test_only_owners_and_admins_administer_locations(client, fleet, manager, crew):
    url = f"{LOCATIONS}/{fleet.plaza.id}"
    for headers in (manager, crew):
        answers = [
            await client.post(LOCATIONS, json={"name": "X", "timezone": "UTC"}, headers=headers),
            await client.patch(url, json={"name": "X"}, headers=headers),
            await client.post(f"{url}/deactivate", headers=headers),
        ]
        assert [answer.status_code for answer in answers] == [403] * 3
        assert (await client.get(url, headers=headers)).status_code == 200


async def test_unknown_trucks_and_locations_are_not_found(client, owner):
    unknown = "0190a000-0000-7000-8000-000000000000"
    for url in (f"{TRUCKS}/{unknown}", f"{LOCATIONS}/{unknown}"):
        assert (await client.get(url, headers=owner)).status_code == 404
        assert (await client.patch(url, json={"name": "x"}, headers=owner)).status_code == 404
        assert (await client.post(f"{url}/deactivate", headers=owner)).status_code == 404
