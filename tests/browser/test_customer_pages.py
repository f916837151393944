"""A customer on a phone or a laptop: a truck's menu, the cart, checking out as a guest,
paying (the local gateway's signed webhook confirms it), and the tracking page changing
by itself while the kitchen moves the ticket through the API. Chromium against a real
server on PostgreSQL."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS, Served
from tests.support.databases import MigratedDatabase
from tests.support.gateway import SECRET, WEBHOOK, Gateway
from tests.support.served import Server, clean_environment
from tests.support.stripe_server import API_KEY, FakeStripe, StripeServer


@pytest.fixture(scope="module")
def stripe() -> Iterator[tuple[FakeStripe, str]]:
    """The local server speaking the gateway's API: it makes the payment intents."""
    fake = FakeStripe()
    with StripeServer(fake) as server:
        yield fake, server.url


@pytest.fixture(scope="module")
def served(
    database: MigratedDatabase,
    stripe: tuple[FakeStripe, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    """The module's server, paid through the local gateway server, whose signed
    webhook says an order is paid."""
    env = clean_environment(
        FUSIONX_DATABASE_URL=database.url,
        FUSIONX_LOG_FORMAT="json",
        FUSIONX_PAYMENTS_API_KEY=API_KEY,
        FUSIONX_PAYMENTS_API_URL=stripe[1],
        FUSIONX_PAYMENT_WEBHOOK_SECRET=SECRET,
    )
    log = tmp_path_factory.mktemp("served") / "serve.log"
    with Server(env, log) as server:
        yield Served(server.url, env)
    assert "fxt_" not in log.read_text(encoding="utf-8"), "a tracking token in the logs"


class Kitchen:
    """The demo truck with an open shift, and its manager's side of the API."""

    def __init__(self, served: Served, stripe: FakeStripe) -> None:
        self.stripe = stripe
        fleet: dict[str, Any] = json.loads(served.cli("seed", "--demo", "--json"))
        self.truck_id = fleet["device"]["truck_id"]
        self.truck = next(t["name"] for t in fleet["trucks"] if t["id"] == self.truck_id)
        self.api = httpx.Client(base_url=served.url, timeout=10)
        login = self.api.post(
            "/api/v1/auth/login",
            json={"email": "manager@demo.fusionx.test", "password": fleet["password"]},
        )
        assert login.status_code == 200, login.text
        self.manager = {"authorization": f"Bearer {login.json()['token']}"}
        opened = self.api.post(
            "/api/v1/shifts",
            json={"truck_id": self.truck_id, "location_id": fleet["locations"][0]["id"]},
            headers=self.manager,
        )
        assert opened.status_code == 201, opened.text
        self.shift_id = opened.json()["id"]
        self.item = fleet["categories"][0]["items"][0]
        self.gateway = Gateway()

    def pay(self, token: str) -> None:
        """The customer confirms the order's intent (Stripe.js would); the gateway then
        tells the server it is paid, signed."""
        order = self.api.get(f"/api/v1/track/{token}").json()
        [intent] = [
            i for i in self.stripe.intents.values() if i["metadata"]["order_id"] == order["id"]
        ]
        self.stripe.succeed(intent["id"])
        event = self.gateway.event(order["id"], intent["amount"], payment_id=intent["id"])
        body, headers = self.gateway.signed(event, datetime.now(UTC))
        answer = self.api.post(WEBHOOK, content=body, headers=headers)
        assert answer.status_code == 200, answer.text

    def move(self, token: str, to: str) -> None:
        """The cook moves the order's ticket on, from the version the kitchen shows."""
        order_id = self.api.get(f"/api/v1/track/{token}").json()["id"]
        feed = self.api.get(f"/api/v1/shifts/{self.shift_id}/tickets", headers=self.manager)
        ticket = next(t for t in feed.json()["tickets"] if t["order_id"] == order_id)
        moved = self.api.post(
            f"/api/v1/tickets/{ticket['id']}/transitions",
            json={"to": to, "version": ticket["version"]},
            headers=self.manager,
        )
        assert moved.status_code == 200, moved.text

    def orders_named(self, name: str) -> list[dict[str, Any]]:
        found = self.api.get(
            "/api/v1/orders", params={"truck_id": self.truck_id, "q": name}, headers=self.manager
        )
        assert found.status_code == 200, found.text
        items: list[dict[str, Any]] = found.json()["items"]
        return items


@pytest.fixture(scope="module")
def kitchen(served: Served, stripe: tuple[FakeStripe, str]) -> Kitchen:
    return Kitchen(served, stripe[0])


def _shot(page: Page, request: pytest.FixtureRequest, step: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", f"{request.node.name}_{step}").strip("_")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_order_pay_and_watch_the_tracking_page_change(
    page: Page, kitchen: Kitchen, request: pytest.FixtureRequest
) -> None:
    guest = f"Ana {request.node.callspec.id}"
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))

    # The menu: the truck, its items with prices; add one to the cart.
    page.goto(f"/app/shop/trucks/{kitchen.truck_id}")
    expect(page.get_by_role("heading", name=kitchen.truck, level=1)).to_be_visible()
    expect(page.get_by_text("Taking orders")).to_be_visible()
    item = page.locator("li.item", has=page.get_by_role("heading", name=kitchen.item["name"]))
    expect(item.locator(".item-price")).to_contain_text(re.compile(r"\d"))
    item.get_by_role("button", name=f"Add {kitchen.item['name']}").click()
    item.get_by_role("button", name=f"Add {kitchen.item['name']}").click()
    expect(page.get_by_role("link", name=re.compile("View cart"))).to_contain_text("2")
    _shot(page, request, "menu")
    page.get_by_role("link", name=re.compile("View cart")).click()

    # Checkout: the server's price, the API's problem shown beside its field.
    expect(page.get_by_role("heading", name="Your order")).to_be_visible()
    expect(page.locator("#quote .line")).to_contain_text(kitchen.item["name"])
    expect(page.locator("#quote .money-total").last).to_contain_text(re.compile(r"\d"))
    page.get_by_label("Name").fill(guest)
    page.get_by_label("Email").fill("not an email")
    page.get_by_role("button", name="Place order and pay").click()
    problem = page.locator("#customer_email-problem")
    expect(problem).to_be_visible()
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    _shot(page, request, "checkout_problem")

    # A double click on the fixed form: one order.
    page.get_by_label("Email").fill("ana@example.com")
    intents = len(kitchen.stripe.intents)
    page.get_by_role("button", name="Place order and pay").dblclick()
    expect(page).to_have_url(re.compile(r"/app/shop/track/fxt_[\w-]+$"))
    assert len(kitchen.stripe.intents) == intents + 1  # one order, one intent
    token = unquote(page.url.rsplit("/", 1)[1])
    expect(page.get_by_text("Waiting for your payment")).to_be_visible()
    expect(page.get_by_text("Live: this page updates by itself")).to_be_visible()

    # Paid (the gateway's webhook), then the kitchen moves it: the page follows.
    kitchen.pay(token)
    expect(page.get_by_text("In the queue")).to_be_visible()
    kitchen.move(token, "in_prep")
    expect(page.get_by_text("Being prepared")).to_be_visible()
    _shot(page, request, "preparing")
    kitchen.move(token, "ready")
    expect(page.get_by_text("Ready to pick up")).to_be_visible()
    assert len(kitchen.orders_named(guest)) == 1
    assert [text for text in violations if "Content Security Policy" in text] == []
