"""The payment webhook on PostgreSQL, whose columns have widths: a gateway's amount past
32 bits is answered and recorded (a 500 made the gateway retry it forever)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.databases import MigratedDatabase, migrated_postgres
from tests.support.hostile import Scene, all_operations, scene_on, sql_backend

pytestmark = pytest.mark.postgres

[WEBHOOK] = [op for op in all_operations() if op.operation_id == "receivePaymentNotification"]


@pytest.fixture(scope="module")
async def postgres_database() -> AsyncIterator[MigratedDatabase]:
    async with migrated_postgres() as database:
        yield database


@pytest.fixture
async def scene(postgres_database: MigratedDatabase) -> AsyncIterator[Scene]:
    await postgres_database.empty()
    async with sql_backend(postgres_database.url) as adapters, scene_on(adapters) as built:
        yield built


async def test_an_amount_past_32_bits_is_recorded_once_and_the_order_needs_a_refund(
    scene: Scene,
) -> None:
    order_id, _ = scene.online_order
    event = scene.gateway.event(order_id, 2**40)

    first = await scene.send(WEBHOOK, body=event)
    again = await scene.send(WEBHOOK, body=event)
    order = await scene.client.get(f"/api/v1/orders/{order_id}", headers=scene.owner_headers)

    assert (first.status_code, first.json()) == (200, {"outcome": "needs_refund"})
    assert (again.status_code, again.json()) == (200, {"outcome": "duplicate"})
    assert order.json()["state"] == "needs_refund"
    assert order.json()["payment"]["paid_cents"] == 2**40


async def test_an_amount_past_64_bits_is_refused_naming_it(scene: Scene) -> None:
    order_id, _ = scene.online_order

    response = await scene.send(WEBHOOK, body=scene.gateway.event(order_id, 2**63))

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["data.amount_cents"]
