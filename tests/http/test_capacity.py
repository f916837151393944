"""Capacity from the API: managers set it, orders beyond it are refused with the next slot."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.http.conftest import order_body

SLOTS = {"slots": {"slot_minutes": 15, "orders_per_slot": 2}}


def capacity_of(shift) -> str:
    return f"/api/v1/shifts/{shift.id}/capacity"


@pytest.fixture
async def stocked(fleet, manager, taco_shift, restock):
    await restock(taco_shift, fleet.burrito, 50, manager)
    return taco_shift


async def test_a_manager_sets_slots_and_a_full_slot_names_the_next(
    client, fleet, manager, stocked, clock
):
    response = await client.put(capacity_of(stocked), json=SLOTS, headers=manager)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "source": "shift",
        "throttle": None,
        "slots": {"slot_minutes": 15, "orders_per_slot": 2},
        "updated_at": clock.now().isoformat().replace("+00:00", "Z"),
        "updated_by": {"kind": "staff", "id": str(fleet.taco_manager.id)},
    }
    orders = f"/api/v1/shifts/{stocked.id}/orders"
    for _ in range(2):
        placed = await client.post(orders, json=order_body((fleet.burrito, 1)), headers=manager)
        assert placed.status_code == 201
        assert placed.json()["order"]["pickup_at"] == "2026-01-05T12:00:00Z"

    refused = await client.post(orders, json=order_body((fleet.burrito, 1)), headers=manager)

    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["type"] == "/problems/capacity-full"
    assert (problem["limit"], problem["maximum"]) == ("orders_per_slot", 2)
    assert problem["next_slot"] == {
        "starts_at": "2026-01-05T12:15:00Z",
        "ends_at": "2026-01-05T12:30:00Z",
    }
    assert refused.headers["retry-after"] == str(15 * 60)
    retried = await client.post(
        orders,
        json=order_body((fleet.burrito, 1), pickup_at=problem["next_slot"]["starts_at"]),
        headers=manager,
    )
    assert retried.status_code == 201
    assert retried.json()["order"]["pickup_at"] == "2026-01-05T12:15:00Z"
    assert retried.json()["order"]["promised_ready_at"] == "2026-01-05T12:15:00Z"


async def test_a_throttle_refusal_says_when_there_is_room(client, fleet, manager, stocked, clock):
    body = {"throttle": {"window_minutes": 10, "max_items": 4}}
    assert (await client.put(capacity_of(stocked), json=body, headers=manager)).status_code == 200
    orders = f"/api/v1/shifts/{stocked.id}/orders"
    assert (
        await client.post(orders, json=order_body((fleet.burrito, 3)), headers=manager)
    ).status_code == 201
    clock.advance(timedelta(minutes=2))

    refused = await client.post(orders, json=order_body((fleet.burrito, 2)), headers=manager)

    assert refused.status_code == 409
    problem = refused.json()
    assert (problem["limit"], problem["maximum"]) == ("items_per_window", 4)
    assert problem["retry_at"] == "2026-01-05T12:10:00Z"
    assert problem["next_slot"] is None
    assert "At most 4 items per 10 minutes" in problem["detail"]


async def test_truck_defaults_show_through_a_shift_without_its_own(
    client, fleet, manager, taco_shift
):
    url = f"/api/v1/trucks/{fleet.taco.id}/capacity"
    assert (await client.get(url, headers=manager)).json()["source"] == "none"

    assert (await client.put(url, json=SLOTS, headers=manager)).status_code == 200

    shown = (await client.get(capacity_of(taco_shift), headers=manager)).json()
    assert (shown["source"], shown["slots"]) == ("truck", SLOTS["slots"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"throttle": {"window_minutes": 10}}, "throttle"),
        ({"throttle": {"window_minutes": 0, "max_orders": 3}}, "throttle.window_minutes"),
        ({"slots": {"slot_minutes": 7, "orders_per_slot": 3}}, "slots.slot_minutes"),
        ({"slots": {"slot_minutes": 15, "orders_per_slot": 0}}, "slots.orders_per_slot"),
    ],
)
async def test_bad_limits_are_422_naming_the_field(client, manager, taco_shift, body, field):
    response = await client.put(capacity_of(taco_shift), json=body, headers=manager)

    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


async def test_crew_read_but_do_not_set(client, fleet, sign_in, taco_shift):
    crew = await sign_in(fleet.taco_crew)

    assert (await client.get(capacity_of(taco_shift), headers=crew)).status_code == 200
    assert (await client.put(capacity_of(taco_shift), json=SLOTS, headers=crew)).status_code == 403


async def test_other_trucks_see_nothing(client, fleet, outsiders, taco_shift):
    for headers in outsiders:
        for url in (capacity_of(taco_shift), f"/api/v1/trucks/{fleet.taco.id}/capacity"):
            assert (await client.get(url, headers=headers)).status_code == 404
            assert (await client.put(url, json=SLOTS, headers=headers)).status_code == 404
