"""Operating hours over the API, and check-in outside them.

The suite's clock stands at Monday 5 January 2026, 12:00 UTC: 13:00 at the Market
Plaza (Europe/Paris).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from fusionx.core.model.fleet_events import FleetEventType, Stream

SHIFTS = "/api/v1/shifts"
PROBLEM = "application/problem+json"
MORNINGS = {"weekly": [{"day": "mon", "opens": "08:00", "closes": "11:00"}]}
LUNCH_AND_DINNER = {
    "weekly": [
        {"day": "mon", "opens": "11:00", "closes": "14:00"},
        {"day": "mon", "opens": "18:00", "closes": "01:00", "overnight": True},
    ],
    "exceptions": [
        {"date": "2026-12-25", "intervals": []},
        {"date": "2026-07-14", "intervals": [{"opens": "20:00", "closes": "23:00"}]},
    ],
}


def hours_of_location(fleet) -> str:
    return f"/api/v1/locations/{fleet.plaza.id}/hours"


def hours_of_truck(truck) -> str:
    return f"/api/v1/trucks/{truck.id}/hours"


@pytest.fixture
async def owner(sign_in, fleet):
    return await sign_in(fleet.owner)


@pytest.fixture
async def crew(sign_in, fleet):
    return await sign_in(fleet.taco_crew)


def check_in_body(fleet, **fields):
    return {"truck_id": str(fleet.taco.id), "location_id": str(fleet.plaza.id)} | fields


async def test_a_locations_hours_round_trip_and_say_open_now_and_later(client, fleet, owner):
    put = await client.put(hours_of_location(fleet), json=LUNCH_AND_DINNER, headers=owner)
    shown = await client.get(hours_of_location(fleet), headers=owner)

    assert put.status_code == 200, put.text
    assert put.json() == {
        "weekly": [
            {"day": "mon", "opens": "11:00", "closes": "14:00", "overnight": False},
            {"day": "mon", "opens": "18:00", "closes": "01:00", "overnight": True},
        ],
        "exceptions": [  # by date
            {
                "date": "2026-07-14",
                "intervals": [{"opens": "20:00", "closes": "23:00", "overnight": False}],
            },
            {"date": "2026-12-25", "intervals": []},
        ],
    }
    view = shown.json()
    assert view["source"] == "location"
    assert view["weekly"] == put.json()["weekly"]
    assert view["today"] == {
        "open_now": {"opens_at": "2026-01-05T10:00:00Z", "closes_at": "2026-01-05T13:00:00Z"},
        "later": [{"opens_at": "2026-01-05T17:00:00Z", "closes_at": "2026-01-06T00:00:00Z"}],
    }


async def test_without_hours_nothing_is_restricted(client, fleet, owner, crew):
    shown = (await client.get(hours_of_location(fleet), headers=owner)).json()
    assert shown == {"weekly": [], "exceptions": [], "source": "none", "today": None}
    checked_in = await client.post(SHIFTS, json=check_in_body(fleet), headers=crew)
    assert checked_in.status_code == 201, checked_in.text


async def test_crew_are_refused_outside_the_hours(client, fleet, owner, crew):
    await client.put(hours_of_location(fleet), json=MORNINGS, headers=owner)

    refused = await client.post(SHIFTS, json=check_in_body(fleet, reason="busy day"), headers=crew)

    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert "operating hours" in refused.json()["detail"]


async def test_a_manager_overrides_the_hours_with_a_reason_on_the_trucks_stream(
    client, adapters, fleet, owner, manager
):
    await client.put(hours_of_location(fleet), json=MORNINGS, headers=owner)

    no_reason = await client.post(SHIFTS, json=check_in_body(fleet), headers=manager)
    blank = await client.post(SHIFTS, json=check_in_body(fleet, reason="   "), headers=manager)
    overridden = await client.post(
        SHIFTS, json=check_in_body(fleet, reason="Street festival"), headers=manager
    )

    for refused in (no_reason, blank):
        assert refused.status_code == 422
        assert [e["field"] for e in refused.json()["errors"]] == ["reason"]
    assert overridden.status_code == 201, overridden.text
    async with adapters.reader() as uow:
        log = await uow.fleet_events.read(Stream.truck(fleet.taco.id))
    (event,) = [e for e in log if e.type is FleetEventType.TRUCK_CHECKED_IN_OUT_OF_HOURS]
    assert event.actor.id == fleet.taco_manager.id
    assert event.data.reason == "Street festival"
    assert str(event.data.shift_id) == overridden.json()["id"]


async def test_a_trucks_own_hours_come_before_its_locations(  # noqa: PLR0917 - fixtures
    client, adapters, fleet, owner, manager, crew, clock
):
    await client.put(hours_of_location(fleet), json=MORNINGS, headers=owner)
    all_day = {"weekly": [{"day": "mon", "opens": "00:00", "closes": "00:00", "overnight": True}]}
    own = await client.put(hours_of_truck(fleet.taco), json=all_day, headers=manager)
    assert own.status_code == 200, own.text

    checked_in = await client.post(SHIFTS, json=check_in_body(fleet), headers=crew)
    shown = (await client.get(hours_of_truck(fleet.taco), headers=crew)).json()

    assert checked_in.status_code == 201, checked_in.text
    assert shown["source"] == "truck"
    assert shown["today"]["open_now"] == {
        "opens_at": "2026-01-04T23:00:00Z",
        "closes_at": "2026-01-05T23:00:00Z",
    }
    async with adapters.reader() as uow:
        log = await uow.fleet_events.read(Stream.truck(fleet.taco.id))
    (hours_set,) = [e for e in log if e.type is FleetEventType.TRUCK_HOURS_SET]
    assert hours_set.actor.id == fleet.taco_manager.id
    assert not hours_set.data.before.is_set
    assert hours_set.data.after.weekly[0].overnight
    # Cleared, the truck follows the location again: crew are refused after it.
    assert (
        await client.put(hours_of_truck(fleet.taco), json={}, headers=manager)
    ).status_code == 200
    await client.post(f"{SHIFTS}/{checked_in.json()['id']}/checkout", headers=manager)
    clock.advance(timedelta(minutes=1))
    again = await client.post(SHIFTS, json=check_in_body(fleet), headers=crew)
    assert again.status_code == 409


async def test_setting_location_hours_is_on_the_fleets_stream(client, adapters, fleet, owner):
    await client.put(hours_of_location(fleet), json=MORNINGS, headers=owner)
    await client.put(hours_of_location(fleet), json=LUNCH_AND_DINNER, headers=owner)
    async with adapters.reader() as uow:
        log = await uow.fleet_events.read(Stream.fleet())
    first, second = [e for e in log if e.type is FleetEventType.LOCATION_HOURS_SET]
    assert second.data.before == first.data.after
    assert len(second.data.after.weekly) == 2
    assert second.actor.id == fleet.owner.id


async def test_who_may_set_hours(client, fleet, owner, manager, crew, outsiders):  # noqa: PLR0917 - fixtures
    location, truck = hours_of_location(fleet), hours_of_truck(fleet.taco)
    assert (await client.put(location, json=MORNINGS, headers=manager)).status_code == 403
    assert (await client.put(truck, json=MORNINGS, headers=crew)).status_code == 403
    assert (await client.put(truck, json=MORNINGS, headers=owner)).status_code == 200
    for headers in outsiders:  # another truck's manager and device: not theirs to know
        assert (await client.put(truck, json=MORNINGS, headers=headers)).status_code == 404
        assert (await client.get(truck, headers=headers)).status_code == 404


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"weekly": [{"day": "mon", "opens": "17:00", "closes": "09:00"}]}, {"weekly[0].closes"}),
        (
            {"weekly": [{"day": "mon", "opens": "09:00", "closes": "17:00", "overnight": True}]},
            {"weekly[0].closes"},
        ),
        (
            {
                "weekly": [
                    {"day": "tue", "opens": "09:00", "closes": "14:00"},
                    {"day": "tue", "opens": "13:00", "closes": "18:00"},
                    {"day": "wed", "opens": "18:00", "closes": "09:00"},
                ]
            },
            {"weekly[1].opens", "weekly[2].closes"},
        ),
        ({"weekly": [{"day": "monday", "opens": "09:00", "closes": "17:00"}]}, {"weekly[0].day"}),
        ({"weekly": [{"day": "mon", "opens": "25:00", "closes": "17:00"}]}, {"weekly[0].opens"}),
        ({"weekly": [{"day": "mon", "opens": "09:00"}]}, {"weekly[0].closes"}),
        ({"exceptions": [{"date": "2026-02-30"}]}, {"exceptions[0].date"}),
        (
            {"exceptions": [{"date": "2026-05-01"}, {"date": "2026-05-01", "intervals": []}]},
            {"exceptions[1].date"},
        ),
        (
            {
                "exceptions": [
                    {"date": "2026-05-01", "intervals": [{"opens": "12:00", "closes": "10:00"}]}
                ]
            },
            {"exceptions[0].intervals[0].closes"},
        ),
        ({"weekly": {"day": "mon"}}, {"weekly"}),
        ({"week": []}, {"week"}),
    ],
)
async def test_bad_hours_name_each_field(client, fleet, owner, body, fields):
    for url in (hours_of_location(fleet), hours_of_truck(fleet.taco)):
        response = await client.put(url, json=body, headers=owner)
        assert response.status_code in (400, 422), response.text
        assert response.headers["content-type"].startswith(PROBLEM)
        assert {error["field"] for error in response.json()["errors"]} == fields


async def test_hours_of_unknown_places_are_not_found(client, owner):
    unknown = "0190a000-0000-7000-8000-000000000000"
    for url in (f"/api/v1/locations/{unknown}/hours", f"/api/v1/trucks/{unknown}/hours"):
        assert (await client.get(url, headers=owner)).status_code == 404
        assert (await client.put(url, json=MORNINGS, headers=owner)).status_code == 404
