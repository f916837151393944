"""Refunds: in full or by line, never more than was paid, by managers only. Window
orders here; refunds through the payment gateway in test_gateway_refunds.py."""

from __future__ import annotations

import pytest

from tests.http.conftest import order_body, place, walk


def refunds_of(order_id) -> str:
    return f"/api/v1/orders/{order_id}/refunds"


@pytest.fixture
async def order(client, fleet, manager, taco_shift, restock) -> dict:
    """2 burritos and 1 horchata (2250 cents), placed and its ticket still NEW."""
    await restock(taco_shift, fleet.burrito, 5, manager)
    await restock(taco_shift, fleet.horchata, 5, manager)
    return await place(client, taco_shift, manager, (fleet.burrito, 2), (fleet.horchata, 1))


async def test_refunds_by_line_add_up_to_at_most_what_was_paid(client, manager, order, recorded):
    order_id = order["order"]["id"]
    first = await client.post(
        refunds_of(order_id),
        json={"reason": "out_of_stock", "lines": [{"line": 1, "quantity": 1}]},
        headers=manager,
    )
    second = await client.post(
        refunds_of(order_id),
        json={"reason": "customer_request", "lines": [{"line": 0, "quantity": 1}]},
        headers=manager,
    )
    too_many = await client.post(
        refunds_of(order_id),
        json={"reason": "customer_request", "lines": [{"line": 0, "quantity": 2}]},
        headers=manager,
    )
    detail = (await client.get(f"/api/v1/orders/{order_id}", headers=manager)).json()

    assert (first.status_code, first.json()["amount_cents"]) == (201, 350)
    assert (second.status_code, second.json()["amount_cents"]) == (201, 950)
    assert too_many.status_code == 422
    assert [e["field"] for e in too_many.json()["errors"]] == ["lines[0].quantity"]
    assert detail["payment"] == {
        "state": "partially_refunded",
        "paid_cents": 2250,
        "refunded_cents": 1300,
    }
    assert [ln["refunded_quantity"] for ln in detail["lines"]] == [1, 1]
    assert detail["ticket"]["state"] == "new"
    assert [r["status"] for r in detail["refunds"]] == ["succeeded", "succeeded"]
    # A window order was paid at the truck: its refunds are handed back there.
    assert recorded.refunds == []


async def test_a_full_refund_of_an_order_still_in_the_kitchen_is_refused(
    client, manager, order, recorded
):
    response = await client.post(
        refunds_of(order["order"]["id"]), json={"reason": "duplicate"}, headers=manager
    )

    assert response.status_code == 409
    assert response.json()["state"] == "new"
    assert recorded.refunds == []


async def test_a_completed_order_refunded_in_full_has_nothing_left(client, manager, order):
    await walk(client, order["ticket"], manager, "in_prep", "ready", "completed")
    full = await client.post(
        refunds_of(order["order"]["id"]), json={"reason": "kitchen_error"}, headers=manager
    )
    again = await client.post(
        refunds_of(order["order"]["id"]), json={"reason": "kitchen_error"}, headers=manager
    )

    assert (full.status_code, full.json()["amount_cents"]) == (201, 2250)
    assert again.status_code == 409
    assert (again.json()["paid_cents"], again.json()["refunded_cents"]) == (2250, 2250)


async def test_a_full_refund_gives_back_the_tax_paid_on_top_of_the_prices(  # noqa: PLR0917
    client, fleet, manager, sign_in, taco_shift, restock
):
    taxed = {"tax_rate_bp": 825, "tax_inclusive": False}
    owner = await sign_in(fleet.owner)
    patched = await client.patch(f"/api/v1/locations/{fleet.plaza.id}", json=taxed, headers=owner)
    assert patched.status_code == 200, patched.text
    await restock(taco_shift, fleet.burrito, 2, manager)
    placed = await place(client, taco_shift, manager, (fleet.burrito, 2))
    await walk(client, placed["ticket"], manager, "in_prep", "ready", "completed")

    full = await client.post(
        refunds_of(placed["order"]["id"]), json={"reason": "kitchen_error"}, headers=manager
    )
    detail = await client.get(f"/api/v1/orders/{placed['order']['id']}", headers=manager)

    # 2 x 9.50 = 19.00, and 8.25 % of it (1.5675: 1.57) paid on top: all of it comes back.
    assert placed["order"]["total_cents"] == 2057
    assert (full.status_code, full.json()["amount_cents"]) == (201, 2057)
    assert detail.json()["ticket"]["state"] == "refunded"


async def test_crew_and_devices_cannot_refund(client, sign_in, fleet, taco_device, order):
    for headers in (await sign_in(fleet.taco_crew), taco_device):
        response = await client.post(
            refunds_of(order["order"]["id"]),
            json={"reason": "customer_request", "lines": [{"line": 0, "quantity": 1}]},
            headers=headers,
        )
        assert response.status_code == 403


async def test_another_truck_does_not_find_the_order_to_refund(client, outsiders, order):
    for headers in outsiders:
        response = await client.post(
            refunds_of(order["order"]["id"]), json={"reason": "duplicate"}, headers=headers
        )
        assert response.status_code == 404


@pytest.mark.parametrize(
    "case",
    [
        ({"reason": "other"}, "note"),
        ({"reason": "bored"}, "reason"),
        ({"reason": "duplicate", "lines": [{"line": 5, "quantity": 1}]}, "lines[0].line"),
        ({"reason": "duplicate", "lines": [{"line": 0, "quantity": 0}]}, "lines[0].quantity"),
        (
            {
                "reason": "duplicate",
                "lines": [{"line": 0, "quantity": 1}, {"line": 0, "quantity": 1}],
            },
            "lines[1].line",
        ),
    ],
)
async def test_a_bad_refund_names_the_field(client, manager, order, case):
    body, field = case

    response = await client.post(refunds_of(order["order"]["id"]), json=body, headers=manager)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_an_online_order_awaiting_payment_has_no_ticket_and_nothing_to_refund(
    client, fleet, manager, taco_shift, restock
):
    await restock(taco_shift, fleet.burrito, 1, manager)
    placed = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/orders",
        json=order_body((fleet.burrito, 1), channel="online", customer_phone="+44 20 7946 0001"),
        headers=manager,
    )
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["order"]["id"]

    detail = await client.get(f"/api/v1/orders/{order_id}", headers=manager)
    refund = await client.post(refunds_of(order_id), json={"reason": "duplicate"}, headers=manager)

    assert detail.status_code == 200
    body = detail.json()
    assert (body["state"], body["ticket"], body["history"]) == ("awaiting_payment", None, [])
    assert body["payment"] == {"state": "unpaid", "paid_cents": 0, "refunded_cents": 0}
    assert body["customer"]["phone"] == "+44 20 7946 0001"
    assert refund.status_code == 409


async def test_a_line_refund_gives_back_its_share_of_the_tax_and_the_last_one_the_rest(  # noqa: PLR0917
    client, fleet, manager, sign_in, taco_shift, restock
):
    taxed = {"tax_rate_bp": 825, "tax_inclusive": False}
    owner = await sign_in(fleet.owner)
    patched = await client.patch(f"/api/v1/locations/{fleet.plaza.id}", json=taxed, headers=owner)
    assert patched.status_code == 200, patched.text
    await restock(taco_shift, fleet.burrito, 3, manager)
    placed = await place(client, taco_shift, manager, (fleet.burrito, 3))
    await walk(client, placed["ticket"], manager, "in_prep", "ready", "completed")
    refunds = refunds_of(placed["order"]["id"])

    one = {"reason": "kitchen_error", "lines": [{"line": 0, "quantity": 1}]}
    first = await client.post(refunds, json=one, headers=manager)
    second = await client.post(refunds, json=one, headers=manager)
    last = await client.post(refunds, json=one, headers=manager)
    detail = await client.get(f"/api/v1/orders/{placed['order']['id']}", headers=manager)

    # 3 x 9.50 = 28.50 and 8.25 % on top (2.35125: 2.35): 30.85 paid. Each burrito's
    # share is 9.50 x 30.85 / 28.50 = 10.2833…: 10.28, and the last one takes the rest.
    assert placed["order"]["total_cents"] == 3085
    amounts = [r.json()["amount_cents"] for r in (first, second, last)]
    assert amounts == [1028, 1028, 1029]
    assert sum(amounts) == placed["order"]["total_cents"]
    assert detail.json()["ticket"]["state"] == "refunded"
