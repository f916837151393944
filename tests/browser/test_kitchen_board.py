"""The kitchen board in Chromium against a real server on PostgreSQL: a tablet pairs by
code, tickets placed through the API appear and are bumped, the stream is cut while more
happens and the board ends as the feed is, and a stale tap says the ticket moved."""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from tests.browser.conftest import Served
from tests.support.served import CLI

CUTS = 5
# Events (orders, moves) the run must make between two steps of the test below.
EVENTS_BETWEEN = 4


class Kitchen:
    """The demo fleet's first truck, checked in, driven through the API as its owner."""

    def __init__(self, api: httpx.Client, fleet: dict[str, Any], owner: dict[str, Any]) -> None:
        self.api = api
        self.email = str(owner["email"])
        self.password = str(fleet["password"])
        self.truck_id = fleet["trucks"][0]["id"]
        self.item_id = fleet["categories"][0]["items"][0]["id"]
        shift = api.post(
            "/api/v1/shifts",
            json={"truck_id": self.truck_id, "location_id": fleet["locations"][0]["id"]},
        )
        shift.raise_for_status()
        self.shift_id = shift.json()["id"]

    def pairing_code(self) -> str:
        answer = self.api.post(
            f"/api/v1/trucks/{self.truck_id}/pairing-codes", json={"label": "Pass tablet"}
        )
        answer.raise_for_status()
        return str(answer.json()["code"])

    def order(self, notes: str | None = None) -> int:
        line = {"item_id": self.item_id, "quantity": 2, "notes": notes}
        answer = self.api.post(
            f"/api/v1/shifts/{self.shift_id}/orders",
            json={"lines": [line], "customer_name": "Ana"},
        )
        answer.raise_for_status()
        return int(answer.json()["ticket"]["number"])

    def feed(self) -> list[dict[str, Any]]:
        answer = self.api.get(f"/api/v1/shifts/{self.shift_id}/tickets")
        answer.raise_for_status()
        return list(answer.json()["tickets"])

    def board_feed(self) -> list[dict[str, Any]]:
        """The feed in the states the board shows: open, and completed (all of this
        module's completions fall within the board's ten-minute recall window)."""
        states = [("state", s) for s in ("new", "in_prep", "ready", "hold", "completed")]
        answer = self.api.get(f"/api/v1/shifts/{self.shift_id}/tickets", params=states)
        answer.raise_for_status()
        return list(answer.json()["tickets"])

    def last_seq(self) -> int:
        answer = self.api.get(f"/api/v1/shifts/{self.shift_id}")
        answer.raise_for_status()
        return int(answer.json()["last_seq"])

    def ticket(self, number: int) -> dict[str, Any]:
        return next(t for t in self.feed() if t["number"] == number)

    def move(self, number: int, to: str) -> None:
        ticket = self.ticket(number)
        self.api.post(
            f"/api/v1/tickets/{ticket['id']}/transitions",
            json={"to": to, "version": ticket["version"]},
        ).raise_for_status()


@pytest.fixture(scope="module")
def kitchen(served: Served) -> Iterator[Kitchen]:
    fleet = json.loads(served.cli("seed", "--demo", "--json"))
    owner = next(a for a in fleet["accounts"] if a["role"] == "owner")
    with httpx.Client(base_url=served.url, timeout=10) as api:
        login = api.post(
            "/api/v1/auth/login", json={"email": owner["email"], "password": fleet["password"]}
        )
        login.raise_for_status()
        api.headers["Authorization"] = f"Bearer {login.json()['token']}"
        yield Kitchen(api, fleet, owner)


class Link:
    """The board's WebSocket, through Playwright: cut it, and keep it down while cut."""

    def __init__(self, page: Page) -> None:
        self.down = False
        self.routes: list[WebSocketRoute] = []
        page.route_web_socket(re.compile(r"/events"), self._route)

    def _route(self, route: WebSocketRoute) -> None:
        if self.down:
            route.close(code=4000, reason="cut by the test")
            return
        route.connect_to_server()
        self.routes.append(route)

    def cut(self) -> None:
        self.down = True
        for route in self.routes:
            route.close(code=4000, reason="cut by the test")
        self.routes.clear()

    def restore(self) -> None:
        self.down = False


def paired_board(page: Page, kitchen: Kitchen) -> Link:
    link = Link(page)
    page.goto("/app/board")
    expect(page).to_have_url(re.compile(r"/app/board/pair$"))
    page.get_by_label("Pairing code").fill(kitchen.pairing_code())
    page.get_by_role("button", name="Pair").click()
    expect(page).to_have_url(re.compile(rf"/app/board/{kitchen.truck_id}$"))
    return link


def card(page: Page, number: int) -> Any:
    return page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=f"#{number}"))


def board_numbers(page: Page) -> list[int]:
    headings = page.locator("#board-cards .ticket:not(.state-completed) .ticket-number")
    return [int(text.lstrip("#")) for text in headings.all_text_contents()]


def test_pair_a_tablet_see_a_ticket_and_bump_it(page: Page, kitchen: Kitchen) -> None:
    paired_board(page, kitchen)
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["fusionx_device"]["httpOnly"]
    assert "fxd_" not in page.content()

    number = kitchen.order(notes="no onion")

    ticket = card(page, number)
    expect(ticket).to_contain_text("no onion")
    expect(ticket).to_contain_text("New")
    ticket.get_by_role("button", name="Start").click()
    expect(ticket).to_contain_text("In prep")
    assert kitchen.ticket(number)["state"] == "in_prep"


def test_the_board_matches_the_feed_after_the_link_is_cut(page: Page, kitchen: Kitchen) -> None:
    link = paired_board(page, kitchen)
    first = kitchen.order()
    expect(card(page, first)).to_be_visible()

    link.cut()
    expect(page.get_by_role("status")).to_contain_text("reconnecting")
    later = [kitchen.order(), kitchen.order()]
    kitchen.move(first, "in_prep")
    link.restore()

    expect(page.get_by_role("status")).to_be_hidden(timeout=20_000)
    for number in later:
        expect(card(page, number)).to_be_visible()
    expect(card(page, first)).to_contain_text("In prep")
    expected = [t["number"] for t in kitchen.feed()]
    assert board_numbers(page) == expected  # same cards, same order, none twice


def until(done: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Wait for a condition of the server's, which Playwright's ``expect`` cannot see."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, f"gave up after {timeout:.0f}s waiting for {what}"
        time.sleep(0.1)


def moves_on(kitchen: Kitchen, what: str) -> None:
    """Wait until the shift has had a few more events (orders placed, tickets moved)."""
    seq = kitchen.last_seq()
    until(lambda: kitchen.last_seq() >= seq + EVENTS_BETWEEN, what)


def simulate(served: Served, kitchen: Kitchen, out: IO[bytes]) -> subprocess.Popen[bytes]:
    """``fusionx simulate`` on the board's shift: orders at the window and a kitchen
    working every ticket through to completed, through the public API."""
    return subprocess.Popen(  # noqa: S603 - our own CLI with fixed arguments
        [
            *CLI, "simulate", "--base-url", served.url, "--email", kitchen.email,
            "--password", kitchen.password, "--shift", kitchen.shift_id, "--orders", "50",
            "--rate", "1.5", "--prep-seconds", "2", "--seed", "18",
        ],
        env=served.env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )  # fmt: skip


def test_the_board_matches_the_feed_after_five_cuts_during_a_simulated_shift(
    page: Page, served: Served, kitchen: Kitchen, tmp_path: Path
) -> None:
    link = paired_board(page, kitchen)
    banner = page.get_by_role("status")
    log = tmp_path / "simulate.log"
    with log.open("wb") as out:
        run = simulate(served, kitchen, out)
    try:
        for cut in range(1, CUTS + 1):
            moves_on(kitchen, f"the run before cut {cut}")
            link.cut()
            expect(banner).to_contain_text("reconnecting")
            moves_on(kitchen, f"orders and moves during cut {cut}")
            link.restore()
            expect(banner).to_be_hidden(timeout=20_000)
        assert run.wait(timeout=120) == 0, log.read_text()
    finally:
        run.kill()
        run.wait()
    assert len(link.routes) == 1  # the board is on its sixth link, the others were cut

    feed = kitchen.board_feed()
    cards = page.locator("#board-cards .ticket")
    expect(cards.locator(".ticket-number")).to_have_text([f"#{t['number']}" for t in feed])
    expect(cards).to_have_class([re.compile(rf"\bstate-{t['state']}\b") for t in feed])
    numbers = [int(n.lstrip("#")) for n in cards.locator(".ticket-number").all_text_contents()]
    assert numbers == [t["number"] for t in feed]  # same cards, same order
    assert len(set(numbers)) == len(numbers)  # none twice
    settled = [(t["number"], t["state"], t["version"]) for t in kitchen.board_feed()]
    assert settled == [(t["number"], t["state"], t["version"]) for t in feed]  # run ended


def test_a_stale_tap_says_the_ticket_moved_elsewhere(page: Page, kitchen: Kitchen) -> None:
    link = paired_board(page, kitchen)
    number = kitchen.order()
    expect(card(page, number)).to_be_visible()

    link.cut()  # the board does not hear of the move below
    kitchen.move(number, "in_prep")
    card(page, number).get_by_role("button", name="Start").click()

    expect(page.get_by_role("alert")).to_contain_text(f"Ticket {number} was changed")
    expect(card(page, number)).to_contain_text("In prep")
    link.restore()
