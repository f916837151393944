"""Retries against the production wiring on PostgreSQL: a transition, an order and a stock
adjustment sent three times with one key, one after another or all at once, take effect
once; a retry while the first still runs on another connection is told to wait."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.settings import Settings
from fusionx.ports.refund_gateway import RefundInstruction
from tests.http.conftest import idempotency_key, on_hand, order_body
from tests.support.databases import MigratedDatabase
from tests.support.gateway import SECRET, WEBHOOK, Gateway
from tests.support.wiring import sql_wiring

pytestmark = pytest.mark.postgres


class GatedRefunds:
    """A refund gateway that answers only once the test opens the gate."""

    def __init__(self) -> None:
        self.called = asyncio.Event()
        self.gate = asyncio.Event()
        self.refunds: list[RefundInstruction] = []

    async def refund(self, instruction: RefundInstruction) -> str:
        self.called.set()
        await self.gate.wait()
        self.refunds.append(instruction)
        return f"gated-{instruction.refund_id}"


@pytest.fixture
async def adapters(postgres_database: MigratedDatabase) -> AsyncIterator[Adapters]:
    """The production wiring (PostgreSQL, argon2, system clock), with a gated gateway;
    its start-up and shut-down hooks run as the server's lifespan runs them."""
    await postgres_database.empty()
    settings = Settings(database_url=postgres_database.url, payment_webhook_secret=SECRET)
    async with sql_wiring(settings, started=True) as wired:
        yield dataclasses.replace(wired, refunds=GatedRefunds())


@pytest.fixture
def client(same_loop_client: httpx.AsyncClient) -> httpx.AsyncClient:
    return same_loop_client


@pytest.fixture
async def stocked(fleet, manager, taco_shift, restock):
    await restock(taco_shift, fleet.burrito, 10, manager)
    return taco_shift


async def thrice(send, *, at_once: bool) -> list:
    if at_once:
        return list(await asyncio.gather(send(), send(), send()))
    return [await send() for _ in range(3)]


def took_effect_once(responses, status: int) -> None:
    """One answer ran; every other is its replay or was told to wait (409 in flight)."""
    ran = [r for r in responses if r.headers.get("Idempotent-Replayed") is None]
    waited = [r for r in ran if r.status_code == 409]
    (first,) = [r for r in ran if r not in waited]
    assert first.status_code == status, first.text
    assert all(w.json()["type"] == "/problems/idempotency-in-flight" for w in waited)
    assert all(r.content == first.content for r in responses if r not in waited)


@pytest.mark.parametrize("at_once", [False, True])
async def test_an_order_sent_three_times_is_taken_once(client, fleet, manager, stocked, at_once):
    headers, body = {**manager, **idempotency_key()}, order_body((fleet.burrito, 2))

    responses = await thrice(
        lambda: client.post(f"/api/v1/shifts/{stocked.id}/orders", json=body, headers=headers),
        at_once=at_once,
    )

    took_effect_once(responses, 201)
    feed = await client.get(f"/api/v1/shifts/{stocked.id}/tickets", headers=manager)
    assert len(feed.json()["tickets"]) == 1
    assert (await on_hand(client, stocked, manager))["Burrito"] == 8


@pytest.mark.parametrize("at_once", [False, True])
async def test_a_transition_sent_three_times_moves_once(client, fleet, manager, stocked, at_once):
    placed = await client.post(
        f"/api/v1/shifts/{stocked.id}/orders", json=order_body((fleet.burrito, 1)), headers=manager
    )
    ticket_id, headers = placed.json()["ticket"]["id"], {**manager, **idempotency_key()}

    responses = await thrice(
        lambda: client.post(
            f"/api/v1/tickets/{ticket_id}/transitions",
            json={"to": "in_prep", "version": 1},
            headers=headers,
        ),
        at_once=at_once,
    )

    took_effect_once(responses, 200)
    detail = await client.get(f"/api/v1/orders/{placed.json()['order']['id']}", headers=manager)
    assert [(m["from"], m["to"]) for m in detail.json()["history"]] == [("new", "in_prep")]


@pytest.mark.parametrize("at_once", [False, True])
async def test_an_adjustment_sent_three_times_counts_once(client, fleet, manager, stocked, at_once):
    headers = {**manager, **idempotency_key()}
    body = {"item_id": str(fleet.burrito.id), "reason": "waste", "delta": -3}

    responses = await thrice(
        lambda: client.post(
            f"/api/v1/shifts/{stocked.id}/inventory/adjustments", json=body, headers=headers
        ),
        at_once=at_once,
    )

    took_effect_once(responses, 201)
    assert (await on_hand(client, stocked, manager))["Burrito"] == 7


async def test_a_retry_while_the_first_still_runs_waits_then_gets_the_first_answer(
    client, adapters, fleet, manager, stocked
):
    # Paid online, so the refund goes out through the (gated) payment gateway.
    placed = await client.post(
        f"/api/v1/shifts/{stocked.id}/orders",
        json=order_body((fleet.burrito, 2), channel="online"),
        headers=manager,
    )
    order = placed.json()["order"]
    event = Gateway().event(order["id"], order["total_cents"], payment_id="pi_1")
    body, signed = Gateway().signed(event, datetime.now(UTC))
    paid = await client.post(WEBHOOK, content=body, headers=signed)
    assert paid.json()["outcome"] == "queued", paid.text
    url = f"/api/v1/orders/{order['id']}/refunds"
    headers = {**manager, **idempotency_key()}
    body = {"reason": "customer_request", "lines": [{"line": 0, "quantity": 1}]}
    gateway = adapters.refunds

    first = asyncio.create_task(client.post(url, json=body, headers=headers))
    async with asyncio.timeout(30):
        await gateway.called.wait()  # the first request is inside the refund now
        during = await client.post(url, json=body, headers=headers)
        gateway.gate.set()
        answered = await first
    after = await client.post(url, json=body, headers=headers)

    assert during.status_code == 409
    assert during.json()["type"] == "/problems/idempotency-in-flight"
    assert answered.status_code == 201
    assert (after.status_code, after.content) == (201, answered.content)
    assert after.headers["Idempotent-Replayed"] == "true"
    assert len(gateway.refunds) == 1
