"""Issue 16's done-when, on PostgreSQL: 200 customers check out the last 10 burritos at
once through the real app (production wiring, the Stripe adapter against the local
Stripe-compatible server). Exactly 10 orders are made, each with one payment intent; the
190 others are refused (409) before any charge; no unit is sold twice. The 10 then pay
through the gateway's flow and its signed webhook, and reach the kitchen."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
import pytest

from fusionx.adapters.payments.stripe_gateway import StripePaymentGateway
from fusionx.adapters.rate_limits.limits_limiter import LimitsRateLimiter
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.settings import Settings
from tests.http.conftest import Fleet, Headers, on_hand, order_body
from tests.support.databases import MigratedDatabase
from tests.support.gateway import SECRET, WEBHOOK, Gateway
from tests.support.races import race
from tests.support.stripe_server import API_KEY, FakeStripe, StripeServer
from tests.support.wiring import sql_wiring

pytestmark = pytest.mark.postgres

CUSTOMERS, UNITS = 200, 10


@pytest.fixture
def stripe() -> Iterator[tuple[FakeStripe, str]]:
    fake = FakeStripe()
    with StripeServer(fake) as server:
        yield fake, server.url


@pytest.fixture
async def adapters(
    postgres_database: MigratedDatabase, stripe: tuple[FakeStripe, str]
) -> AsyncIterator[Adapters]:
    """The production wiring on PostgreSQL, paying through the local Stripe server. Every
    customer here calls from one address: the per-address limit is set out of reach."""
    await postgres_database.empty()
    settings = Settings(database_url=postgres_database.url, payment_webhook_secret=SECRET)
    gateway = StripePaymentGateway(api_key=API_KEY, api_url=stripe[1], backoff_seconds=0.05)
    async with sql_wiring(settings) as wired:
        yield dataclasses.replace(
            wired,
            payments=gateway,
            refunds=gateway,
            public_rate_limiter=LimitsRateLimiter.in_memory("100000/minute"),
        )
    await gateway.close()


@pytest.fixture
def client(same_loop_client: httpx.AsyncClient) -> httpx.AsyncClient:
    return same_loop_client


async def test_200_checkouts_for_the_last_10_units_make_10_orders_and_refuse_190_before_any_charge(  # noqa: PLR0917
    client: httpx.AsyncClient,
    fleet: Fleet,
    manager: Headers,
    taco_shift: Any,
    restock: Any,
    stripe: tuple[FakeStripe, str],
) -> None:
    fake, _ = stripe
    await restock(taco_shift, fleet.burrito, UNITS, manager)
    url = f"/api/v1/public/trucks/{fleet.taco.id}/checkout"

    async def customer(n: int) -> httpx.Response:
        body = order_body(
            (fleet.burrito, 1), customer_name=f"Customer {n}", customer_phone=f"+1415555{n:04d}"
        )
        return await client.post(url, json=body, headers={"Idempotency-Key": str(uuid4())})

    answers = await race(CUSTOMERS, customer, seconds=240)

    statuses = Counter(answer.status_code for answer in answers)
    assert statuses == {201: UNITS, 409: CUSTOMERS - UNITS}, statuses
    refused = [a.json() for a in answers if a.status_code == 409]
    assert all(r["shortages"][0]["available"] == 0 for r in refused)
    placed = [a.json() for a in answers if a.status_code == 201]
    asked = [form for path, form, _ in fake.received if path == "/v1/payment_intents"]
    # One intent per order, none for a refused customer: no charge could follow.
    assert len(asked) == len(fake.intents) == UNITS
    assert {intent["metadata"]["order_id"] for intent in fake.intents.values()} == {
        p["order_id"] for p in placed
    }
    assert (await on_hand(client, taco_shift, manager))["Burrito"] == 0
    assert len({p["number"] for p in placed}) == UNITS

    gateway = Gateway()
    outcomes = Counter()
    for done in placed:
        intent_id = done["payment"]["id"]
        fake.succeed(intent_id)  # each customer's browser confirms their intent
        event = gateway.event(done["order_id"], done["money"]["total_cents"], payment_id=intent_id)
        body, headers = gateway.signed(event, datetime.now(UTC))
        outcomes[(await client.post(WEBHOOK, content=body, headers=headers)).json()["outcome"]] += 1

    assert outcomes == {"queued": UNITS}
    feed = await client.get(f"/api/v1/shifts/{taco_shift.id}/tickets", headers=manager)
    assert sorted(t["order_id"] for t in feed.json()["tickets"]) == sorted(
        p["order_id"] for p in placed
    )
    assert (await on_hand(client, taco_shift, manager))["Burrito"] == 0  # nothing sold twice
