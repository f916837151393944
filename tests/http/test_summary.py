"""The shift summary from the API matches what was ordered, to the cent."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.http.conftest import order_body


def summary_of(shift) -> str:
    return f"/api/v1/shifts/{shift.id}/summary"


@pytest.fixture
async def stocked(fleet, manager, taco_shift, restock):
    for item in (fleet.burrito, fleet.quesadilla, fleet.horchata):
        await restock(taco_shift, item, 20, manager)
    return taco_shift


async def test_the_summary_adds_up_what_was_ordered(client, fleet, manager, stocked, clock):
    orders, placed = f"/api/v1/shifts/{stocked.id}/orders", []
    for lines in (
        [(fleet.burrito, 2), (fleet.horchata, 1)],
        [(fleet.quesadilla, 1)],
        [(fleet.burrito, 1), (fleet.quesadilla, 3)],
    ):
        response = await client.post(orders, json=order_body(*lines), headers=manager)
        assert response.status_code == 201
        placed.append(response.json())
        clock.advance(timedelta(minutes=1))

    async def move(n: int, to: str, version: int) -> None:
        ticket = placed[n]["ticket"]["id"]
        body = {"to": to, "version": version}
        if to == "cancelled":
            body["cancel_reason"] = "customer_request"
        url = f"/api/v1/tickets/{ticket}/transitions"
        assert (await client.post(url, json=body, headers=manager)).status_code == 200

    await move(0, "in_prep", 1)
    clock.advance(timedelta(minutes=4))
    await move(0, "ready", 2)
    await move(2, "cancelled", 1)
    clock.advance(timedelta(minutes=20))

    response = await client.get(summary_of(stocked), headers=manager)

    assert response.status_code == 200
    summary = response.json()
    gross = 2 * 950 + 350 + 800 + 950 + 3 * 800
    assert summary["final"] is False
    assert summary["orders"] == 3
    by_state = summary["orders_by_state"]
    assert (by_state["new"], by_state["ready"], by_state["cancelled"]) == (1, 1, 1)
    assert sum(by_state.values()) == 3  # every other state is there, at 0
    assert (summary["gross_cents"], summary["cancelled_cents"]) == (gross, 950 + 3 * 800)
    assert summary["net_cents"] == 2 * 950 + 350 + 800
    assert summary["prep_time"] == {"count": 1, "average_seconds": 240.0, "p90_seconds": 240.0}
    assert summary["wait_time"] == {"count": 1, "average_seconds": 420.0, "p90_seconds": 420.0}
    assert summary["orders_per_bucket"] == [{"starts_at": "2026-01-05T12:00:00Z", "orders": 3}]
    assert summary["best_sellers"] == [
        {"item_id": str(fleet.burrito.id), "name": "Burrito", "quantity": 2, "sales_cents": 1900},
        {"item_id": str(fleet.horchata.id), "name": "Horchata", "quantity": 1, "sales_cents": 350},
        {
            "item_id": str(fleet.quesadilla.id),
            "name": "Quesadilla",
            "quantity": 1,
            "sales_cents": 800,
        },
    ]


async def test_a_closed_shift_has_a_final_summary(client, manager, taco_shift):
    closed = await client.post(f"/api/v1/shifts/{taco_shift.id}/checkout", headers=manager)
    assert closed.status_code == 200

    summary = (await client.get(summary_of(taco_shift), headers=manager)).json()

    assert (summary["final"], summary["state"], summary["orders"]) == (True, "closed", 0)
    assert summary["prep_time"] == {"count": 0, "average_seconds": None, "p90_seconds": None}


@pytest.fixture
async def callers(fleet, sign_in, taco_device, outsiders):
    """Each caller with the status the summary answers them."""
    return [
        (await sign_in(fleet.owner), 200),
        (await sign_in(fleet.taco_crew), 403),
        (taco_device, 403),
        *((headers, 404) for headers in outsiders),
    ]


async def test_sales_are_for_managers_of_the_truck(client, taco_shift, callers):
    for headers, status in callers:
        assert (await client.get(summary_of(taco_shift), headers=headers)).status_code == status
