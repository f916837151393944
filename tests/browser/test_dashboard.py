"""The dashboard in Chromium against a real server on PostgreSQL: the demo fleet with a
shift the simulator ran, seen by its owner and its manager; one tap 86s an item and the
JSON API says it is sold out."""

from __future__ import annotations

import json
import re
from typing import Any
from uuid import uuid4

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Served


@pytest.fixture(scope="module")
def fleet(served: Served) -> dict[str, Any]:
    """The demo fleet, its first truck checked in with a few orders placed at the window."""
    seeded: dict[str, Any] = json.loads(served.cli("seed", "--demo", "--json"))
    api = _api(served, "manager@demo.fusionx.test", seeded["password"])
    shift = api.post(
        "/api/v1/shifts",
        json={"truck_id": seeded["trucks"][0]["id"], "location_id": seeded["locations"][0]["id"]},
    )
    assert shift.status_code == 201, shift.text
    shift_id = shift.json()["id"]
    menu = api.get(f"/api/v1/shifts/{shift_id}/menu").json()
    plain = [
        item["id"]
        for category in menu["categories"]
        for item in category["items"]
        if item["available"] and not item["sold_out"] and not item["modifier_groups"]
    ]
    for n in range(4):
        placed = api.post(
            f"/api/v1/shifts/{shift_id}/orders",
            json={"lines": [{"item_id": plain[n % len(plain)], "quantity": 1 + n % 2}]},
            headers={"Idempotency-Key": str(uuid4())},
        )
        assert placed.status_code == 201, placed.text
    return seeded


def _sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/app/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/app$"))


def _api(served: Served, email: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=served.url, timeout=10)
    login = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    client.headers["Authorization"] = f"Bearer {login.json()['token']}"
    return client


def test_an_owner_sees_open_shifts_and_a_chart(page: Page, fleet: dict[str, Any]) -> None:
    _sign_in(page, "owner@demo.fusionx.test", fleet["password"])

    page.goto("/app/dashboard")

    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("link", name="Taco Titan")).to_be_visible()
    expect(page.get_by_role("link", name="Noodle Nomad")).to_be_visible()
    expect(page.get_by_text("Open at Riverside Market")).to_be_visible()
    expect(page.locator(".dash-chart canvas")).to_have_count(1)  # uPlot drew the week

    page.get_by_role("link", name="Taco Titan").click()

    expect(page.get_by_role("heading", name="Taco Titan")).to_be_visible()
    expect(page.get_by_text("Net sales")).to_be_visible()
    expect(page.locator(".dash-chart canvas")).to_have_count(2)  # the shift's day, the week


def test_one_tap_86_sells_an_item_out_through_the_api(
    page: Page, served: Served, fleet: dict[str, Any]
) -> None:
    truck_id = fleet["trucks"][0]["id"]
    _sign_in(page, "manager@demo.fusionx.test", fleet["password"])
    page.goto(f"/app/trucks/{truck_id}/dashboard")
    stock = page.locator("#stock")
    line = stock.locator(".stock-line").filter(has_not=page.locator(".tag-out")).first
    name = line.locator(".stock-name").inner_text()

    line.get_by_role("button", name=f"86 {name}").click()

    sold = stock.locator(".stock-line.is-out").filter(has_text=name)
    expect(sold.get_by_text("Sold out")).to_be_visible()
    api = _api(served, "manager@demo.fusionx.test", fleet["password"])
    shift_id = re.findall(r"/app/shifts/([0-9a-f-]+)/stock", stock.get_attribute("hx-get") or "")[0]
    menu = api.get(f"/api/v1/shifts/{shift_id}/menu").json()
    items = {i["name"]: i for c in menu["categories"] for i in c["items"]}
    assert items[name]["sold_out"] is True
    assert items[name]["on_hand"] == 0

    sold.get_by_label(f"How many {name} are there now").fill("12")
    sold.get_by_role("button", name=f"Back on: {name}").click()

    expect(stock.locator(".stock-line.is-out").filter(has_text=name)).to_have_count(0)
    menu = api.get(f"/api/v1/shifts/{shift_id}/menu").json()
    items = {i["name"]: i for c in menu["categories"] for i in c["items"]}
    assert items[name]["on_hand"] == 12


def test_a_manager_sees_only_their_trucks(page: Page, fleet: dict[str, Any]) -> None:
    _sign_in(page, "manager@demo.fusionx.test", fleet["password"])

    page.goto("/app/dashboard")

    expect(page.get_by_role("link", name="Taco Titan")).to_be_visible()
    expect(page.get_by_text("Noodle Nomad")).to_have_count(0)
    other = page.request.get(f"/app/trucks/{fleet['trucks'][1]['id']}/dashboard")
    assert other.status == 404
