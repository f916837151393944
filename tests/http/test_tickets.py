"""Moving kitchen tickets through their states, naming the version last seen."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from tests.http.conftest import place


def transitions_of(ticket_id) -> str:
    return f"/api/v1/tickets/{ticket_id}/transitions"


@pytest.fixture
async def ticket(client, fleet, manager, taco_shift, restock) -> dict:
    """A NEW ticket on Taco Titan's shift, as the order response gave it."""
    await restock(taco_shift, fleet.burrito, 5, manager)
    return (await place(client, taco_shift, manager, (fleet.burrito, 1)))["ticket"]


async def test_a_device_moves_a_ticket_from_new_to_completed(client, ticket, taco_device, clock):
    seen = ticket
    for version, target in enumerate(("in_prep", "ready", "completed"), start=2):
        clock.advance(timedelta(minutes=2))
        response = await client.post(
            transitions_of(ticket["id"]),
            json={"to": target, "version": seen["version"]},
            headers=taco_device,
        )
        assert response.status_code == 200, response.text
        seen = response.json()
        assert (seen["state"], seen["version"]) == (target, version)

    assert (seen["id"], seen["order_id"], seen["number"]) == (
        ticket["id"],
        ticket["order_id"],
        ticket["number"],
    )
    assert seen["created_at"] == ticket["created_at"]
    assert seen["updated_at"] == clock.now().isoformat().replace("+00:00", "Z")


async def test_a_stale_version_is_refused_with_the_current_state(client, ticket, manager):
    first = await client.post(
        transitions_of(ticket["id"]), json={"to": "in_prep", "version": 1}, headers=manager
    )
    second = await client.post(
        transitions_of(ticket["id"]), json={"to": "cancelled", "version": 1}, headers=manager
    )

    assert first.status_code == 200
    assert second.status_code == 409
    assert (second.json()["state"], second.json()["version"]) == ("in_prep", 2)


async def test_a_move_outside_the_ticket_table_is_refused(client, ticket, manager):
    response = await client.post(
        transitions_of(ticket["id"]), json={"to": "ready", "version": 1}, headers=manager
    )

    assert response.status_code == 409
    assert (response.json()["state"], response.json()["version"]) == ("new", 1)


async def test_a_cancellation_records_who_and_why(client, adapters, fleet, ticket, manager):
    response = await client.post(
        transitions_of(ticket["id"]),
        json={
            "to": "cancelled",
            "version": 1,
            "cancel_reason": "customer_request",
            "reason": "Customer left",
        },
        headers=manager,
    )

    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"
    async with adapters.uow() as uow:
        (move,) = await uow.tickets.history(UUID(ticket["id"]))
    assert (move.source, move.target) == ("new", "cancelled")
    assert move.reason == "customer_request: Customer left"
    assert move.actor.id == fleet.taco_manager.id


async def test_tickets_still_move_on_a_paused_shift(client, ticket, manager, taco_shift):
    await client.post(f"/api/v1/shifts/{taco_shift.id}/pause", headers=manager)

    response = await client.post(
        transitions_of(ticket["id"]), json={"to": "in_prep", "version": 1}, headers=manager
    )

    assert response.status_code == 200


async def test_another_trucks_staff_and_devices_do_not_find_the_ticket(client, ticket, outsiders):
    for headers in outsiders:
        response = await client.post(
            transitions_of(ticket["id"]), json={"to": "in_prep", "version": 1}, headers=headers
        )
        assert response.status_code == 404, headers


async def test_an_unknown_ticket_is_not_found(client, manager):
    response = await client.post(
        transitions_of(uuid4()), json={"to": "in_prep", "version": 1}, headers=manager
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    "case",
    [
        ({"to": "in_prep"}, "version"),
        ({"to": "in_prep", "version": 0}, "version"),
        ({"to": "refunded", "version": 1}, "to"),
        ({"to": "cancelled", "version": 1}, "cancel_reason"),
        ({"to": "cancelled", "version": 1, "cancel_reason": "other"}, "reason"),
        ({"to": "cancelled", "version": 1, "cancel_reason": "bored"}, "cancel_reason"),
        ({"to": "hold", "version": 1, "fire_at": "2020-01-01T00:00:00Z"}, "fire_at"),
        ({"to": "hold", "version": 1, "fire_at": "2099-01-01T00:00:00"}, "fire_at"),
        ({"to": "in_prep", "version": 1, "fire_at": "2099-01-01T00:00:00Z"}, "fire_at"),
        ({"to": "eaten", "version": 1}, "to"),
        ({"version": 1}, "to"),
        ({"to": "cancelled", "version": 1, "reason": ""}, "reason"),
    ],
)
async def test_a_bad_transition_names_the_field(client, ticket, manager, case):
    body, field = case

    response = await client.post(transitions_of(ticket["id"]), json=body, headers=manager)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
