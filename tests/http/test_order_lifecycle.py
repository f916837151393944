"""One order's whole life, read back from its detail: hold, timed fire, ready, complete,
recall, refund. Time is the fake clock; the fire is the sweep the server runs."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from fusionx.core.model.events import EventType
from fusionx.core.use_cases.commands.fire_due_tickets import FireDueTickets
from tests.http.conftest import order_body
from tests.support.events import stored


def transitions_of(ticket_id) -> str:
    return f"/api/v1/tickets/{ticket_id}/transitions"


def iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@pytest.fixture
async def placed(client, fleet, manager, taco_shift, restock) -> dict:
    await restock(taco_shift, fleet.burrito, 5, manager)
    await restock(taco_shift, fleet.horchata, 5, manager)
    body = order_body(
        (fleet.burrito, 2),
        (fleet.horchata, 1),
        customer_name="Ana",
        customer_phone="+33 6 12 34 56 78",
        customer_email="ana@example.com",
    )
    body["lines"][0]["notes"] = "No onions"
    response = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/orders", json=body, headers=manager
    )
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
async def lived(client, adapters, manager, taco_device, placed) -> dict:
    """Drive the placed order through hold, timed fire, ready, complete, recall, refund;
    return when each move happened."""
    ticket_id, order_id = placed["ticket"]["id"], placed["order"]["id"]
    shift_id, clock = placed["order"]["shift_id"], adapters.clock
    moments = {}

    async def move(body: dict, headers) -> dict:
        response = await client.post(transitions_of(ticket_id), json=body, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    # Scheduled pickup: hold until 15 minutes from now.
    clock.advance(timedelta(minutes=1))
    moments["fire_at"] = fire_at = clock.now() + timedelta(minutes=15)
    moments["hold"] = clock.now()
    held = await move({"to": "hold", "version": 1, "fire_at": iso(fire_at)}, manager)
    assert (held["state"], held["held_from"], held["fire_at"]) == ("hold", "new", iso(fire_at))

    feed = (await client.get(f"/api/v1/shifts/{shift_id}/tickets", headers=taco_device)).json()
    (shown,) = feed["tickets"]
    assert (shown["state"], shown["held_from"], shown["fire_at"]) == ("hold", "new", iso(fire_at))

    # Not yet due: the sweep leaves it alone. Then the time comes and nobody touches the KDS.
    clock.advance(timedelta(minutes=14))
    assert await FireDueTickets(adapters.uow, clock).execute() == []
    clock.advance(timedelta(minutes=1))
    moments["fire"] = clock.now()
    (fired,) = await FireDueTickets(adapters.uow, clock).execute()
    assert (fired.state, fired.version, fired.fire_at) == ("new", 3, None)

    version = 3
    for target in ("in_prep", "ready", "completed"):
        clock.advance(timedelta(minutes=2))
        moments[target] = clock.now()
        version = (await move({"to": target, "version": version}, taco_device))["version"]
    clock.advance(timedelta(minutes=3))
    moments["recall"] = clock.now()
    recalled = await move({"to": "ready", "version": version, "reason": "Wrong bag"}, taco_device)
    assert recalled["state"] == "ready"
    clock.advance(timedelta(minutes=1))
    moments["again"] = clock.now()
    await move({"to": "completed", "version": recalled["version"]}, taco_device)

    clock.advance(timedelta(minutes=5))
    moments["refund"] = clock.now()
    refund = await client.post(
        f"/api/v1/orders/{order_id}/refunds",
        json={"reason": "kitchen_error", "note": "Cold burrito"},
        headers=manager,
    )
    assert refund.status_code == 201, refund.text
    assert refund.json()["amount_cents"] == 2 * 950 + 350
    assert [(line["line"], line["quantity"]) for line in refund.json()["lines"]] == [(0, 2), (1, 1)]
    return moments


async def test_one_order_through_hold_fire_recall_and_refund(client, fleet, manager, placed, lived):
    moments, fire_at, order_id = lived, lived["fire_at"], placed["order"]["id"]

    detail = await client.get(f"/api/v1/orders/{order_id}", headers=manager)

    assert detail.status_code == 200, detail.text
    order = detail.json()
    assert order["customer"] == {
        "name": "Ana",
        "phone": "+33 6 12 34 56 78",
        "email": "ana@example.com",
    }
    assert [
        (ln["name"], ln["quantity"], ln["notes"], ln["total_cents"]) for ln in order["lines"]
    ] == [
        ("Burrito", 2, "No onions", 1900),
        ("Horchata", 1, None, 350),
    ]
    assert [ln["refunded_quantity"] for ln in order["lines"]] == [2, 1]
    assert order["total_cents"] == 2250
    assert order["payment"] == {"state": "refunded", "paid_cents": 2250, "refunded_cents": 2250}
    assert order["ticket"]["state"] == "refunded"
    manager_actor = {"kind": "staff", "id": str(fleet.taco_manager.id)}
    device_actor = order["history"][2]["actor"]
    assert device_actor["kind"] == "device"
    assert [(m["from"], m["to"], m["at"], m["actor"]) for m in order["history"]] == [
        ("new", "hold", iso(moments["hold"]), manager_actor),
        ("hold", "new", iso(moments["fire"]), manager_actor),
        ("new", "in_prep", iso(moments["in_prep"]), device_actor),
        ("in_prep", "ready", iso(moments["ready"]), device_actor),
        ("ready", "completed", iso(moments["completed"]), device_actor),
        ("completed", "ready", iso(moments["recall"]), device_actor),
        ("ready", "completed", iso(moments["again"]), device_actor),
        ("completed", "refunded", iso(moments["refund"]), manager_actor),
    ]
    reasons = [m["reason"] for m in order["history"]]
    assert reasons[1] == f"fired at {fire_at.isoformat()} as scheduled"
    assert reasons[5] == "Wrong bag"
    assert reasons[7] == "refunded: kitchen_error"
    (given,) = order["refunds"]
    assert (given["reason"], given["note"], given["actor"]) == (
        "kitchen_error",
        "Cold burrito",
        manager_actor,
    )
    assert order["cancellation"] is None


async def test_the_kitchen_device_sees_the_order_but_not_the_contact(client, taco_device, placed):
    response = await client.get(f"/api/v1/orders/{placed['order']['id']}", headers=taco_device)

    assert response.status_code == 200
    assert response.json()["customer"] == {"name": "Ana", "phone": None, "email": None}


async def test_the_event_stream_carries_no_contact(adapters, placed):
    async with adapters.uow() as uow:
        (created, *_) = [
            e
            for e in await uow.events.since(UUID(placed["order"]["shift_id"]), 0)
            if e.type is EventType.ORDER_CREATED
        ]

    order = stored(created)["order"]
    assert (order["customer_name"], order["customer_phone"], order["customer_email"]) == (
        "Ana",
        None,
        None,
    )


async def test_another_truck_does_not_find_the_order(client, outsiders, placed):
    for headers in outsiders:
        response = await client.get(f"/api/v1/orders/{placed['order']['id']}", headers=headers)
        assert response.status_code == 404


async def test_a_recall_after_the_window_is_refused(client, clock, manager, placed):
    ticket_id, version = placed["ticket"]["id"], 1
    for target in ("in_prep", "ready", "completed"):
        response = await client.post(
            transitions_of(ticket_id), json={"to": target, "version": version}, headers=manager
        )
        version = response.json()["version"]
    clock.advance(timedelta(minutes=10, seconds=1))

    late = await client.post(
        transitions_of(ticket_id), json={"to": "ready", "version": version}, headers=manager
    )

    assert late.status_code == 409
    assert (late.json()["state"], late.json()["version"]) == ("completed", version)


async def test_a_held_ticket_resumes_only_to_where_it_was(client, manager, placed):
    ticket_id = placed["ticket"]["id"]
    await client.post(
        transitions_of(ticket_id), json={"to": "in_prep", "version": 1}, headers=manager
    )
    await client.post(transitions_of(ticket_id), json={"to": "hold", "version": 2}, headers=manager)

    wrong = await client.post(
        transitions_of(ticket_id), json={"to": "new", "version": 3}, headers=manager
    )
    right = await client.post(
        transitions_of(ticket_id), json={"to": "in_prep", "version": 3}, headers=manager
    )

    assert wrong.status_code == 409
    assert right.status_code == 200
    assert (right.json()["state"], right.json()["held_from"]) == ("in_prep", None)
