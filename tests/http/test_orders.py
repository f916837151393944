"""Taking orders at the window: stock taken all or nothing, and a ticket for the kitchen."""

from __future__ import annotations

from uuid import uuid4

import pytest

from tests.http.conftest import on_hand, order_body


def orders_of(shift) -> str:
    return f"/api/v1/shifts/{shift.id}/orders"


@pytest.fixture
async def stocked(fleet, manager, taco_shift, restock):
    """Taco Titan's shift with 5 burritos and 2 horchatas on hand."""
    await restock(taco_shift, fleet.burrito, 5, manager)
    await restock(taco_shift, fleet.horchata, 2, manager)
    return taco_shift


async def test_an_order_snapshots_its_lines_takes_stock_and_opens_a_ticket(
    client, fleet, manager, stocked
):
    body = order_body((fleet.burrito, 2), (fleet.horchata, 1), customer_name="Ana")
    body["lines"][0]["notes"] = "No onions"

    response = await client.post(orders_of(stocked), json=body, headers=manager)

    assert response.status_code == 201
    order, ticket = response.json()["order"], response.json()["ticket"]
    assert order["number"] == 1
    assert order["shift_id"] == str(stocked.id)
    assert order["channel"] == "window"
    assert order["customer_name"] == "Ana"
    assert order["lines"] == [
        {
            "item_id": str(fleet.burrito.id),
            "name": "Burrito",
            "unit_price_cents": 950,
            "quantity": 2,
            "notes": "No onions",
            "total_cents": 1900,
            "modifiers": [],
        },
        {
            "item_id": str(fleet.horchata.id),
            "name": "Horchata",
            "unit_price_cents": 350,
            "quantity": 1,
            "notes": None,
            "total_cents": 350,
            "modifiers": [],
        },
    ]
    assert order["total_cents"] == 2250
    assert order["created_by"] == {"kind": "staff", "id": str(fleet.taco_manager.id)}
    assert (ticket["order_id"], ticket["number"]) == (order["id"], 1)
    assert (ticket["state"], ticket["version"]) == ("new", 1)
    assert await on_hand(client, stocked, manager) == {
        "Burrito": 3,
        "Quesadilla": 0,
        "Horchata": 1,
    }


async def test_orders_are_numbered_in_turn(client, fleet, manager, stocked):
    numbers = [
        (
            await client.post(
                orders_of(stocked), json=order_body((fleet.burrito, 1)), headers=manager
            )
        ).json()["order"]["number"]
        for _ in range(3)
    ]

    assert numbers == [1, 2, 3]


async def test_a_short_order_takes_nothing_and_names_what_is_left(client, fleet, manager, stocked):
    body = order_body((fleet.burrito, 1), (fleet.horchata, 3))

    response = await client.post(orders_of(stocked), json=body, headers=manager)

    assert response.status_code == 409
    assert response.json()["shortages"] == [
        {"item_id": str(fleet.horchata.id), "name": "Horchata", "requested": 3, "available": 2}
    ]
    assert "Horchata (2 left)" in response.json()["detail"]
    assert await on_hand(client, stocked, manager) == {
        "Burrito": 5,
        "Quesadilla": 0,
        "Horchata": 2,
    }


async def test_a_paused_shift_takes_no_orders(client, fleet, manager, stocked):
    await client.post(f"/api/v1/shifts/{stocked.id}/pause", headers=manager)

    response = await client.post(
        orders_of(stocked), json=order_body((fleet.burrito, 1)), headers=manager
    )

    assert response.status_code == 409
    assert response.json()["state"] == "paused"
    assert (await on_hand(client, stocked, manager))["Burrito"] == 5


async def test_crew_and_devices_take_orders(client, fleet, stocked, sign_in, taco_device):
    crew = await sign_in(fleet.taco_crew)

    by_crew = await client.post(
        orders_of(stocked), json=order_body((fleet.burrito, 1)), headers=crew
    )
    by_device = await client.post(
        orders_of(stocked), json=order_body((fleet.burrito, 1)), headers=taco_device
    )

    assert by_crew.status_code == by_device.status_code == 201
    assert by_crew.json()["order"]["created_by"]["kind"] == "staff"
    assert by_device.json()["order"]["created_by"]["kind"] == "device"


async def test_another_trucks_staff_and_devices_do_not_find_the_shift(
    client, fleet, stocked, outsiders
):
    for headers in outsiders:
        response = await client.post(
            orders_of(stocked), json=order_body((fleet.burrito, 1)), headers=headers
        )
        assert response.status_code == 404, headers


def line(**changes) -> dict:
    # Any id will do: the wire format is checked before the menu is.
    return {"item_id": str(uuid4()), "quantity": 1, **changes}


@pytest.mark.parametrize(
    "case",
    [
        ({"lines": [line(quantity=0)]}, "lines[0].quantity"),
        ({"lines": [line(), line(quantity=100)]}, "lines[1].quantity"),
        ({"lines": [line(notes="")]}, "lines[0].notes"),
        ({"lines": [line(item_id="burrito")]}, "lines[0].item_id"),
        ({"lines": []}, "lines"),
        ({"lines": [line()] * 51}, "lines"),
        ({}, "lines"),
        ({"lines": [line()], "customer_name": "x" * 101}, "customer_name"),
    ],
)
async def test_a_bad_order_names_the_field(client, manager, stocked, case):
    body, field = case

    response = await client.post(orders_of(stocked), json=body, headers=manager)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_an_item_off_the_menu_is_refused(client, manager, stocked):
    body = {"lines": [{"item_id": str(uuid4()), "quantity": 1}]}

    response = await client.post(orders_of(stocked), json=body, headers=manager)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["lines[0].item_id"]
