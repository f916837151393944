"""A guest's quote, checkout and payment over HTTP, with the Stripe adapter against the
local Stripe-compatible server, and the signed webhook that sends the order to the kitchen."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.exceptions import LitestarException

from fusionx.adapters.payments.stripe_gateway import StripePaymentGateway
from fusionx.entrypoints.bootstrap import Adapters, in_memory_adapters
from tests.http.conftest import Fleet, Headers, LogLines, on_hand, order_body
from tests.support.gateway import SECRET, WEBHOOK, Gateway
from tests.support.stripe_server import API_KEY, FakeStripe, StripeServer

PROBLEM = "application/problem+json"


@pytest.fixture
def stripe() -> Iterator[FakeStripe]:
    fake = FakeStripe()
    with StripeServer(fake) as server:
        fake.url = server.url  # type: ignore[attr-defined]
        yield fake


@pytest.fixture
async def adapters(clock, stripe: FakeStripe) -> AsyncIterator[Adapters]:
    gateway = StripePaymentGateway(
        api_key=API_KEY,
        api_url=stripe.url,  # type: ignore[attr-defined]
        timeout_seconds=2,
        attempts=2,
        backoff_seconds=0.01,
    )
    wired = in_memory_adapters(clock, payment_webhook_secret=SECRET)
    yield Adapters(**{**wired.__dict__, "refunds": gateway, "payments": gateway})
    await gateway.close()


@pytest.fixture
async def stocked(client, fleet: Fleet, manager: Headers, taco_shift, restock) -> Fleet:
    """3 burritos and 5 horchatas on Taco Titan's open shift."""
    await restock(taco_shift, fleet.burrito, 3, manager)
    await restock(taco_shift, fleet.horchata, 5, manager)
    return fleet


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid4())}


def guest(*lines: Any, **fields: Any) -> dict[str, Any]:
    return order_body(*lines, customer_name="Ana", customer_email="ana@example.com", **fields)


async def check_out(client, fleet: Fleet, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return await client.post(
        f"/api/v1/public/trucks/{fleet.taco.id}/checkout", json=body, headers=headers
    )


async def test_a_guest_quotes_checks_out_pays_and_the_order_reaches_the_kitchen(  # noqa: PLR0917
    client, clock, stocked: Fleet, stripe: FakeStripe, taco_shift, manager, sign_in
) -> None:
    owner = await sign_in(stocked.owner)
    taxed = await client.patch(
        f"/api/v1/locations/{stocked.plaza.id}",
        json={"tax_rate_bp": 825, "tax_inclusive": False},
        headers=owner,
    )
    assert taxed.status_code == 200, taxed.text
    assert (taxed.json()["tax_rate_bp"], taxed.json()["tax_inclusive"]) == (825, False)
    cart = order_body((stocked.burrito, 2), (stocked.horchata, 1))

    quote = await client.post(f"/api/v1/public/trucks/{stocked.taco.id}/cart/quote", json=cart)
    checkout = await check_out(
        client, stocked, guest((stocked.burrito, 2), (stocked.horchata, 1)), key()
    )

    assert quote.status_code == 200, quote.text
    # 2 x 9.50 + 3.50 = 22.50; 8.25 % of it is 1.85625, rounded once: 1.86.
    money = {
        "subtotal_cents": 2250, "discount_cents": 0, "tax_cents": 186, "total_cents": 2436,
        "tax_rate_bp": 825, "tax_inclusive": False, "currency": "eur",
    }  # fmt: skip
    assert quote.json()["money"] == money
    assert quote.json()["pickup_slots"] == []  # no slots: as soon as possible
    assert "no-store" in quote.headers["cache-control"]
    assert checkout.status_code == 201, checkout.text
    placed = checkout.json()
    assert placed["money"] == money
    assert placed["state"] == "awaiting_payment"
    [intent] = stripe.intents.values()
    assert placed["payment"] == {
        "id": intent["id"], "client_secret": intent["client_secret"],
        "amount_cents": 2436, "currency": "eur",
    }  # fmt: skip
    assert intent["metadata"] == {"order_id": placed["order_id"]}
    assert await on_hand(client, taco_shift, manager) == {
        "Burrito": 1, "Quesadilla": 0, "Horchata": 4,
    }  # fmt: skip

    stripe.succeed(intent["id"])  # the customer's browser confirmed it
    gateway = Gateway()
    body, headers = gateway.signed(
        gateway.event(placed["order_id"], 2436, payment_id=intent["id"]), clock.now()
    )
    paid = await client.post(WEBHOOK, content=body, headers=headers)

    assert paid.json() == {"outcome": "queued"}
    tickets = await client.get(f"/api/v1/shifts/{taco_shift.id}/tickets", headers=manager)
    assert [t["order_id"] for t in tickets.json()["tickets"]] == [placed["order_id"]]
    order = await client.get(f"/api/v1/orders/{placed['order_id']}", headers=manager)
    assert order.json()["total_cents"] == 2436
    assert (order.json()["subtotal_cents"], order.json()["tax_cents"]) == (2250, 186)
    assert await on_hand(client, taco_shift, manager) == {
        "Burrito": 1, "Quesadilla": 0, "Horchata": 4,
    }  # fmt: skip


async def test_a_double_submit_makes_one_order_and_one_intent(
    client, stocked: Fleet, stripe: FakeStripe, taco_shift, manager
) -> None:
    body, headers = guest((stocked.burrito, 1)), key()

    first = await check_out(client, stocked, body, headers)
    second = await check_out(client, stocked, body, headers)

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json() == first.json()
    assert len(stripe.intents) == 1
    assert (await on_hand(client, taco_shift, manager))["Burrito"] == 2


async def test_a_retry_after_the_connection_dropped_gets_the_first_answer(  # noqa: PLR0917
    app: Litestar, client, stocked: Fleet, stripe: FakeStripe, taco_shift, manager
) -> None:
    body, headers = guest((stocked.burrito, 1)), key()
    url = f"/api/v1/public/trucks/{stocked.taco.id}/checkout"

    # The server finds out when it sends the answer (the app reports it its own way).
    with pytest.raises((ConnectionResetError, LitestarException)):
        await _send_and_drop(app, url, body, headers)
    retry = await client.post(  # the very same bytes, as a client resends them
        url, content=json.dumps(body), headers={**headers, "Content-Type": "application/json"}
    )

    assert retry.status_code == 201, retry.text
    assert retry.headers["idempotent-replayed"] == "true"
    assert len(stripe.intents) == 1
    [intent] = stripe.intents.values()
    assert retry.json()["payment"]["id"] == intent["id"]
    assert (await on_hand(client, taco_shift, manager))["Burrito"] == 2  # taken once


async def test_the_same_key_with_another_body_is_refused(client, stocked: Fleet, stripe) -> None:
    headers = key()
    first = await check_out(client, stocked, guest((stocked.burrito, 1)), headers)

    other = await check_out(client, stocked, guest((stocked.burrito, 2)), headers)

    assert first.status_code == 201
    assert other.status_code == 422
    assert other.json()["type"] == "/problems/idempotency-key-reused"
    assert len(stripe.intents) == 1


@pytest.mark.parametrize(
    "headers", [{}, {"Idempotency-Key": "short"}], ids=["missing", "guessable"]
)
async def test_checkout_requires_a_long_idempotency_key(
    client, stocked: Fleet, stripe, headers
) -> None:
    response = await check_out(client, stocked, guest((stocked.burrito, 1)), headers)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert "idempotency-key" in [e["field"].lower() for e in response.json()["errors"]]
    assert stripe.intents == {}


async def test_a_sold_out_cart_is_refused_before_any_charge(
    client, stocked: Fleet, stripe: FakeStripe
) -> None:
    response = await check_out(client, stocked, guest((stocked.burrito, 4)), key())

    assert response.status_code == 409
    assert response.json()["shortages"][0]["available"] == 3
    assert stripe.received == []  # the gateway never heard of it


@pytest.mark.parametrize(
    ("script", "status"),
    [(["decline"], 402), (["unavailable", "unavailable"], 503)],
    ids=["declined", "unavailable"],
)
async def test_a_gateway_failure_leaves_no_order_and_no_stock_held(  # noqa: PLR0917
    client, stocked: Fleet, stripe: FakeStripe, taco_shift, manager, script, status
) -> None:
    stripe.script.extend(script)

    response = await check_out(client, stocked, guest((stocked.burrito, 3)), key())

    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert (await on_hand(client, taco_shift, manager))["Burrito"] == 3
    # The units are there for the next customer, whose order is the shift's first.
    again = await check_out(client, stocked, guest((stocked.burrito, 3)), key())
    assert again.status_code == 201, again.text
    assert again.json()["number"] == 1


async def test_the_client_secret_is_never_logged_nor_on_the_stream(  # noqa: PLR0917
    client, adapters: Adapters, stocked: Fleet, stripe: FakeStripe, taco_shift, log_lines: LogLines
) -> None:
    response = await check_out(client, stocked, guest((stocked.burrito, 1)), key())

    secret = response.json()["payment"]["client_secret"]
    assert secret
    assert secret not in log_lines.text
    async with adapters.uow() as uow:
        events = await uow.events.since(taco_shift.id, 0)
    shown = json.dumps([e.data for e in events], default=str)
    assert secret not in shown
    assert "ana@example.com" not in shown  # the contact stays off the kitchen's stream


async def test_quote_and_checkout_answer_no_staff_data(client, stocked: Fleet, stripe) -> None:
    quote = await client.post(
        f"/api/v1/public/trucks/{stocked.taco.id}/cart/quote",
        json=order_body((stocked.burrito, 1)),
    )
    checkout = await check_out(client, stocked, guest((stocked.burrito, 1)), key())

    for answer in (quote.text, checkout.text):
        assert "on_hand" not in answer
        assert stocked.taco_manager.name not in answer
        assert stocked.taco_manager.email not in answer


async def test_an_unknown_truck_is_404_and_bad_lines_name_the_field(
    client, stocked, stripe
) -> None:
    unknown = await client.post(
        f"/api/v1/public/trucks/{uuid4()}/cart/quote", json=order_body((stocked.burrito, 1))
    )
    bad = await client.post(
        f"/api/v1/public/trucks/{stocked.taco.id}/cart/quote",
        json={"lines": [{"item_id": str(uuid4()), "quantity": 1}]},
    )

    assert unknown.status_code == 404
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["lines[0].item_id"]


async def _send_and_drop(
    app: Litestar, url: str, body: dict[str, Any], headers: dict[str, str]
) -> None:
    """The request, straight through ASGI, from a client whose connection drops before
    the answer arrives: sending the response fails."""
    content = json.dumps(body).encode()
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": content, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        raise ConnectionResetError("the customer's phone lost its signal")

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": url, "raw_path": url.encode(), "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 50000), "server": ("fusionx.test", 80),
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(content)).encode()),
            *((k.lower().encode(), v.encode()) for k, v in headers.items()),
        ],
    }  # fmt: skip
    await app(scope, receive, send)  # type: ignore[arg-type]


async def test_a_guest_cannot_spend_points(client, stocked: Fleet, stripe: FakeStripe) -> None:
    response = await check_out(client, stocked, guest((stocked.burrito, 1), points=10), key())

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert [e["field"] for e in response.json()["errors"]] == ["points"]
    assert stripe.intents == {}  # refused before the gateway is asked


async def test_the_tracking_link_opens_the_order_and_its_token_opens_nothing_else(
    client, adapters: Adapters, stocked: Fleet, stripe: FakeStripe
) -> None:
    placed = (await check_out(client, stocked, guest((stocked.burrito, 1)), key())).json()
    url, token = placed["tracking_url"], placed["tracking_token"]

    page = await client.get(urlsplit(url).path)
    followed = await client.get(f"/api/v1/track/{token}")

    # A person lands on the tracking page; the JSON beneath it stays where it was.
    assert url == f"{adapters.public_url}/app/shop/track/{token}"
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert followed.status_code == 200, followed.text
    assert (followed.json()["id"], followed.json()["status"]) == (
        placed["order_id"], "awaiting_payment",
    )  # fmt: skip
    as_bearer = {"Authorization": f"Bearer {token}"}
    for path in (
        f"/api/v1/orders/{placed['order_id']}",
        f"/api/v1/customer/orders/{placed['order_id']}",
        "/api/v1/customer/loyalty",
        "/api/v1/me",
    ):
        assert (await client.get(path, headers=as_bearer)).status_code == 401, path
