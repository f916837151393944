"""Checking a truck in, pausing, resuming and checking out its shift, and its history."""

from __future__ import annotations

from uuid import uuid4

import pytest

from tests.http.conftest import order_body

SHIFTS = "/api/v1/shifts"


def check_in_body(fleet, location=None) -> dict:
    return {
        "truck_id": str(fleet.taco.id),
        "location_id": str(location or fleet.plaza.id),
    }


async def test_crew_checks_the_truck_in(client, fleet, sign_in, clock):
    response = await client.post(
        SHIFTS, json=check_in_body(fleet), headers=await sign_in(fleet.taco_crew)
    )

    assert response.status_code == 201
    shift = response.json()
    assert shift["truck_id"] == str(fleet.taco.id)
    assert shift["location_id"] == str(fleet.plaza.id)
    assert shift["state"] == "open"
    assert shift["opened_at"] == clock.now().isoformat().replace("+00:00", "Z")
    assert shift["opened_by"] == {"kind": "staff", "id": str(fleet.taco_crew.id)}
    assert shift["closed_at"] is None


async def test_a_second_check_in_names_the_open_shift(client, fleet, manager, taco_shift):
    response = await client.post(SHIFTS, json=check_in_body(fleet), headers=manager)

    assert response.status_code == 409
    assert response.json()["open_shift_id"] == str(taco_shift.id)


async def test_a_device_may_not_check_in(client, fleet, taco_device):
    response = await client.post(SHIFTS, json=check_in_body(fleet), headers=taco_device)

    assert response.status_code == 403


async def test_another_trucks_manager_is_told_the_truck_does_not_exist(client, fleet, sign_in):
    response = await client.post(
        SHIFTS, json=check_in_body(fleet), headers=await sign_in(fleet.curry_manager)
    )

    assert response.status_code == 404
    assert response.json()["detail"].startswith("truck ")


async def test_an_unknown_location_is_not_found(client, fleet, manager):
    response = await client.post(
        SHIFTS, json=check_in_body(fleet, location=uuid4()), headers=manager
    )

    assert response.status_code == 404
    assert response.json()["detail"].startswith("location ")


async def test_check_in_names_a_missing_field(client, fleet, manager):
    response = await client.post(SHIFTS, json={"truck_id": str(fleet.taco.id)}, headers=manager)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["location_id"]


async def test_the_shift_shows_its_history(client, fleet, manager, taco_shift, sign_in):
    crew = await sign_in(fleet.taco_crew)
    base = f"{SHIFTS}/{taco_shift.id}"

    paused = await client.post(f"{base}/pause", headers=crew)
    resumed = await client.post(f"{base}/resume", headers=manager)
    response = await client.get(base, headers=crew)

    assert paused.status_code == resumed.status_code == response.status_code == 200
    assert paused.json()["state"] == "paused"
    assert resumed.json()["state"] == "open"
    shift = response.json()
    assert shift["id"] == str(taco_shift.id)
    assert shift["state"] == "open"
    assert shift["opened_by"] == {"kind": "staff", "id": str(fleet.taco_manager.id)}
    assert shift["last_seq"] == 3
    assert [(h["from"], h["to"], h["actor"]["id"]) for h in shift["history"]] == [
        (None, "open", str(fleet.taco_manager.id)),
        ("open", "paused", str(fleet.taco_crew.id)),
        ("paused", "open", str(fleet.taco_manager.id)),
    ]
    assert all(h["reason"] is None for h in shift["history"])


async def test_a_move_outside_the_state_table_is_a_conflict(client, manager, taco_shift):
    response = await client.post(f"{SHIFTS}/{taco_shift.id}/resume", headers=manager)

    assert response.status_code == 409
    assert response.json()["state"] == "open"


async def test_a_device_reads_the_shift_but_may_not_change_it(client, taco_shift, taco_device):
    read = await client.get(f"{SHIFTS}/{taco_shift.id}", headers=taco_device)
    pause = await client.post(f"{SHIFTS}/{taco_shift.id}/pause", headers=taco_device)

    assert read.status_code == 200
    assert pause.status_code == 403


@pytest.mark.parametrize("route", ["GET ", "POST /pause", "POST /resume", "POST /checkout"])
async def test_another_trucks_staff_and_devices_are_told_the_shift_does_not_exist(
    client, taco_shift, outsiders, route
):
    method, suffix = route.split(" ")

    for headers in outsiders:
        response = await client.request(
            method, f"{SHIFTS}/{taco_shift.id}{suffix}", headers=headers
        )
        assert response.status_code == 404, headers
        assert response.json()["type"] == "/problems/not-found"


async def test_an_owner_sees_every_trucks_shift(client, fleet, taco_shift, sign_in):
    response = await client.get(f"{SHIFTS}/{taco_shift.id}", headers=await sign_in(fleet.owner))

    assert response.status_code == 200


async def test_checkout_without_open_tickets_closes_the_shift(client, manager, taco_shift, clock):
    response = await client.post(f"{SHIFTS}/{taco_shift.id}/checkout", headers=manager)

    assert response.status_code == 200
    assert response.json()["state"] == "closed"
    assert response.json()["closed_at"] is not None
    again = await client.post(f"{SHIFTS}/{taco_shift.id}/checkout", headers=manager)
    assert again.status_code == 409
    assert again.json()["state"] == "closed"


async def test_forcing_a_checkout_is_a_managers_decision(  # noqa: PLR0917
    client, fleet, manager, sign_in, taco_shift, restock
):
    """Crew may close a shift with nothing open, never cancel every open ticket to do it."""
    base = f"{SHIFTS}/{taco_shift.id}"
    await restock(taco_shift, fleet.burrito, 5, manager)
    ticket = (
        await client.post(f"{base}/orders", json=order_body((fleet.burrito, 1)), headers=manager)
    ).json()["ticket"]
    crew = await sign_in(fleet.taco_crew)
    force = {"force": True, "reason": "Going home"}

    by_crew = await client.post(f"{base}/checkout", json=force, headers=crew)
    feed = await client.get(f"{base}/tickets", headers=manager)
    by_manager = await client.post(f"{base}/checkout", json=force, headers=manager)

    assert by_crew.status_code == 403, by_crew.text
    assert [t["id"] for t in feed.json()["tickets"]] == [ticket["id"]]
    assert by_manager.status_code == 200
    assert by_manager.json()["state"] == "closed"


async def test_checkout_is_refused_while_tickets_are_open_unless_forced(
    client, fleet, manager, taco_shift, restock
):
    base = f"{SHIFTS}/{taco_shift.id}"
    await restock(taco_shift, fleet.burrito, 5, manager)
    placed = [
        (
            await client.post(
                f"{base}/orders", json=order_body((fleet.burrito, 1)), headers=manager
            )
        ).json()["ticket"]
        for _ in range(2)
    ]

    refused = await client.post(f"{base}/checkout", json={}, headers=manager)
    unexplained = await client.post(f"{base}/checkout", json={"force": True}, headers=manager)
    forced = await client.post(
        f"{base}/checkout", json={"force": True, "reason": "Generator failed"}, headers=manager
    )

    assert refused.status_code == 409
    assert refused.json()["open_tickets"] == [
        {"id": t["id"], "number": t["number"], "state": "new"} for t in placed
    ]
    assert unexplained.status_code == 422
    assert [e["field"] for e in unexplained.json()["errors"]] == ["reason"]
    assert forced.status_code == 200
    assert forced.json()["state"] == "closed"
    cancelled = await client.get(f"{base}/tickets", params={"state": "cancelled"}, headers=manager)
    assert [t["id"] for t in cancelled.json()["tickets"]] == [t["id"] for t in placed]
    history = (await client.get(base, headers=manager)).json()["history"]
    assert (history[-1]["from"], history[-1]["to"], history[-1]["reason"]) == (
        "open",
        "closed",
        "Generator failed",
    )
    audit = (await client.get(f"{base}/cancellations", headers=manager)).json()["items"]
    assert [(c["order_id"], c["reason"], c["note"], c["stock_returned"]) for c in audit] == [
        (t["order_id"], "other", "Generator failed", False) for t in placed
    ]
