"""The payment webhook on PostgreSQL, whose columns have widths: a gateway's amount past
32 bits is answered and recorded (a 500 made the gateway retry it forever)."""

from __future__ import annotations

import pytest

from tests.support.hostile import Scene, all_operations

pytestmark = pytest.mark.postgres

[WEBHOOK] = [op for op in all_operations() if op.operation_id == "receivePaymentNotification"]


async def test_an_amount_past_32_bits_is_recorded_once_and_the_order_needs_a_refund(
    postgres_scene: Scene,
) -> None:
    order_id, _ = postgres_scene.online_order
    event = postgres_scene.gateway.event(order_id, 2**40)

    first = await postgres_scene.send(WEBHOOK, body=event)
    again = await postgres_scene.send(WEBHOOK, body=event)
    order = await postgres_scene.client.get(
        f"/api/v1/orders/{order_id}", headers=postgres_scene.owner_headers
    )

    assert (first.status_code, first.json()) == (200, {"outcome": "needs_refund"})
    assert (again.status_code, again.json()) == (200, {"outcome": "duplicate"})
    assert order.json()["state"] == "needs_refund"
    assert order.json()["payment"]["paid_cents"] == 2**40


async def test_an_amount_past_64_bits_is_refused_naming_it(postgres_scene: Scene) -> None:
    order_id, _ = postgres_scene.online_order

    response = await postgres_scene.send(
        WEBHOOK, body=postgres_scene.gateway.event(order_id, 2**63)
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["data.amount_cents"]
