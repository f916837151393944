"""End to end against a local server speaking Stripe's API: an intent is created for an
online order, the customer pays it, the webhook (signed as Stripe signs, in its
``Stripe-Signature`` header) sends the order to the kitchen, and a manager's refund
reaches Stripe naming that intent, with the refund's id as its idempotency key."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from uuid import UUID

import pytest

from fusionx.adapters.payments.stripe_gateway import StripePaymentGateway
from fusionx.entrypoints.bootstrap import Adapters, in_memory_adapters
from fusionx.ports.payment_gateway import PaymentIntentRequest
from tests.http.conftest import order_body
from tests.support.gateway import SECRET, WEBHOOK
from tests.support.stripe_server import API_KEY, FakeStripe, StripeServer, stripe_signature

ONE_BURRITO = {"reason": "customer_request", "lines": [{"line": 0, "quantity": 1}]}


@pytest.fixture
def stripe() -> Iterator[tuple[FakeStripe, str]]:
    fake = FakeStripe(slow_seconds=0.6)
    with StripeServer(fake) as server:
        yield fake, server.url


@pytest.fixture
async def adapters(clock, stripe: tuple[FakeStripe, str]) -> AsyncIterator[Adapters]:
    gateway = StripePaymentGateway(
        api_key=API_KEY, api_url=stripe[1], timeout_seconds=0.3, backoff_seconds=0.01
    )
    wired = in_memory_adapters(clock, payment_webhook_secret=SECRET)
    yield Adapters(**{**wired.__dict__, "refunds": gateway, "payments": gateway})
    await gateway.close()


@pytest.fixture
async def paid(client, adapters, clock, stripe, fleet, manager, taco_shift, restock) -> dict:  # noqa: PLR0917
    """An online order of 2 burritos (1900 cents), paid through a Stripe intent."""
    fake, _ = stripe
    await restock(taco_shift, fleet.burrito, 5, manager)
    placed = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/orders",
        json=order_body((fleet.burrito, 2), channel="online"),
        headers=manager,
    )
    order: dict[str, Any] = placed.json()["order"]
    intent = await adapters.payments.create_intent(
        PaymentIntentRequest(
            order_id=UUID(order["id"]), amount_cents=order["total_cents"], currency="eur"
        )
    )
    fake.succeed(intent.id)  # the customer's browser confirmed it
    event = {
        "id": "evt_1",
        "type": "payment.succeeded",
        "created": int(clock.now().timestamp()),
        "data": {"order_id": order["id"], "amount_cents": 1900, "payment_id": intent.id},
    }
    body = json.dumps(event).encode()
    signature = stripe_signature(SECRET, int(clock.now().timestamp()), body)
    answer = await client.post(
        WEBHOOK,
        content=body,
        headers={"Content-Type": "application/json", "Stripe-Signature": signature},
    )
    assert answer.json()["outcome"] == "queued", answer.text
    return {**order, "intent": intent.id}


async def test_a_refund_reaches_stripe_for_the_intent_that_paid(client, stripe, manager, paid):
    fake, _ = stripe
    fake.script.append("slow")  # Stripe refunds, but its answer comes after our timeout

    response = await client.post(
        f"/api/v1/orders/{paid['id']}/refunds",
        json=ONE_BURRITO,
        headers=manager,
    )

    assert response.status_code == 201, response.text
    refund = response.json()
    (given,) = fake.refunds.values()
    assert (given["payment_intent"], given["amount"]) == (paid["intent"], 950)
    assert given["metadata"]["refund_id"] == refund["id"]
    assert (refund["status"], refund["reference"]) == ("succeeded", given["id"])
    sent = [key for path, _, key in fake.received if path == "/v1/refunds"]
    assert sent == [refund["id"], refund["id"]]  # timed out, retried, replayed


async def test_a_refund_stripe_declines_is_kept_as_failed(client, stripe, manager, paid):
    fake, _ = stripe
    fake.script.append("decline")

    response = await client.post(
        f"/api/v1/orders/{paid['id']}/refunds", json=ONE_BURRITO, headers=manager
    )
    detail = (await client.get(f"/api/v1/orders/{paid['id']}", headers=manager)).json()

    assert response.status_code == 502
    assert response.json()["gateway_code"] == "card_declined"
    assert [r["status"] for r in detail["refunds"]] == ["failed"]
    assert fake.refunds == {}


async def test_stripe_down_leaves_a_pending_refund_that_a_retry_gives_once(
    client, stripe, manager, paid
):
    fake, _ = stripe
    fake.script.extend(["unavailable"] * 3)

    pending = await client.post(
        f"/api/v1/orders/{paid['id']}/refunds", json=ONE_BURRITO, headers=manager
    )
    refund_id = pending.json()["refund_id"]
    retried = await client.post(
        f"/api/v1/orders/{paid['id']}/refunds/{refund_id}/retry", headers=manager
    )

    assert pending.status_code == 503
    assert (retried.status_code, retried.json()["status"]) == (201, "succeeded")
    assert [r["amount"] for r in fake.refunds.values()] == [950]
