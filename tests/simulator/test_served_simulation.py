"""``fusionx simulate`` end to end: a real ``fusionx serve`` under granian, the demo
seed, and the simulator as a separate process talking HTTP and WebSocket to it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.support.served import Server, clean_environment, fusionx


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    data_dir: Path = tmp_path_factory.mktemp("simulated")
    env = clean_environment(FUSIONX_DATA_DIR=str(data_dir), FUSIONX_LOG_FORMAT="json")
    with Server(env, data_dir / "serve.log") as server:
        yield server.url, env


@pytest.fixture(scope="module")
def fleet(served: tuple[str, dict[str, str]]) -> dict[str, Any]:
    _, env = served
    seeded = fusionx(env, "seed", "--demo", "--json", check=False)
    assert seeded.returncode == 0, seeded.stderr
    fleet: dict[str, Any] = json.loads(seeded.stdout)
    return fleet


def simulate(served: tuple[str, dict[str, str]], fleet: dict[str, Any], *extra: str) -> str:
    base_url, env = served
    done = fusionx(
        env, "simulate", "--base-url", base_url, "--location", fleet["locations"][0]["id"],
        "--orders", "12", "--rate", "25", "--prep-seconds", "0.2", "--double-tap", "0.25",
        "--seed", "7", *extra, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def counter(summary: str, label: str) -> int:
    found = re.search(rf"^  {label}\s+(\d+)", summary, re.MULTILINE)
    assert found, summary
    return int(found.group(1))


def test_a_simulated_shift_streams_every_event_once_in_order(
    served: tuple[str, dict[str, str]], fleet: dict[str, Any]
) -> None:
    summary = simulate(served, fleet)

    assert "(checked in)" in summary
    assert (counter(summary, "gaps"), counter(summary, "duplicates")) == (0, 0)
    assert counter(summary, "out of order") == 0
    assert counter(summary, "tickets completed") == 12
    assert "resumed after seq" in summary
    assert "tickets vs REST     match" in summary
    assert summary.rstrip().endswith("result: clean")


def test_a_second_run_reuses_the_open_shift_and_checks_out(
    served: tuple[str, dict[str, str]], fleet: dict[str, Any]
) -> None:
    summary = simulate(served, fleet, "--checkout")

    assert "(reused the open shift)" in summary
    assert "shift.closed 1" in summary
    assert counter(summary, "gaps") == 0
    assert summary.rstrip().endswith("result: clean")


def test_orders_beyond_the_capacity_a_manager_set_are_refused_with_the_next_slot(
    served: tuple[str, dict[str, str]], fleet: dict[str, Any]
) -> None:
    base_url, _ = served
    login = {"email": "manager@demo.fusionx.test", "password": fleet["password"]}
    token = httpx.post(f"{base_url}/api/v1/auth/login", json=login, timeout=10).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    truck_id = httpx.get(f"{base_url}/api/v1/me", headers=headers, timeout=10).json()["truck_ids"][
        0
    ]
    limits = {"slots": {"slot_minutes": 60, "orders_per_slot": 4}}
    set_capacity = httpx.put(
        f"{base_url}/api/v1/trucks/{truck_id}/capacity", json=limits, headers=headers, timeout=10
    )
    assert set_capacity.status_code == 200, set_capacity.text

    summary = simulate(served, fleet, "--checkout")

    # An hour-long slot of 4: the run may straddle an hour, so 4 or 8 get in.
    placed = re.search(r"orders placed\s+(\d+)/12", summary)
    assert placed, summary
    assert int(placed.group(1)) in (4, 8)
    assert f"{12 - int(placed.group(1))} refused for capacity; next free slot " in summary
    assert summary.rstrip().endswith("result: clean")


def test_it_orders_only_what_a_customer_could_on_a_menu_with_windows_and_choices(
    served: tuple[str, dict[str, str]], fleet: dict[str, Any]
) -> None:
    """The second truck sells a breakfast item outside its window and a bowl whose
    groups require choices; the simulator must order bowls only, each with choices
    its groups allow, and check in where no --location says (the first location)."""
    base_url, env = served
    login = {"email": "owner@demo.fusionx.test", "password": fleet["password"]}
    token = httpx.post(f"{base_url}/api/v1/auth/login", json=login, timeout=10).json()["token"]
    api = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    truck_id = fleet["trucks"][1]["id"]
    category_id = fleet["categories"][0]["id"]

    def created(path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = api.post(path, json=body)
        assert response.status_code == 201, response.text
        made: dict[str, Any] = response.json()
        return made

    def options(*names: str) -> list[dict[str, Any]]:
        return [{"name": name, "price_delta_cents": 50} for name in names]

    base = created(
        "/api/v1/menu/modifier-groups",
        {"name": "Base", "options": options("Rice", "Noodles"), "min_choices": 1},
    )
    toppings = created(
        "/api/v1/menu/modifier-groups",
        {
            "name": "Toppings",
            "options": options("Egg", "Tofu", "Kimchi", "Scallion"),
            "min_choices": 2,
            "max_choices": 3,
        },
    )
    # Two days from today in London: a window that is never now.
    london_day = datetime.now(ZoneInfo("Europe/London")).weekday()
    closed_day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[(london_day + 2) % 7]
    breakfast = created(
        "/api/v1/menu/items",
        {
            "category_id": category_id,
            "name": "Breakfast burrito",
            "price_cents": 700,
            "availability": [{"days": [closed_day], "start": "07:00", "end": "07:30"}],
        },
    )
    bowl = created(
        "/api/v1/menu/items",
        {
            "category_id": category_id,
            "name": "Build-your-own bowl",
            "price_cents": 900,
            "modifier_group_ids": [base["id"], toppings["id"]],
        },
    )
    chosen = api.put(
        f"/api/v1/trucks/{truck_id}/menu",
        json={"items": [{"item_id": breakfast["id"]}, {"item_id": bowl["id"]}]},
    )
    assert chosen.status_code == 200, chosen.text

    done = fusionx(
        env, "simulate", "--base-url", base_url, "--email", login["email"], "--truck", truck_id,
        "--orders", "8", "--rate", "25", "--prep-seconds", "0.2", "--seed", "3", "--checkout",
        timeout=120, check=False,
    )  # fmt: skip

    assert done.returncode == 0, done.stdout + done.stderr
    assert f"checking in at {fleet['locations'][1]['name']}" in done.stdout
    assert "1 of 2 menu items can be ordered now" in done.stdout
    assert "orders placed       8/8" in done.stdout
    shift_id = re.search(r"shift ([0-9a-f-]{36})", done.stdout)
    assert shift_id, done.stdout
    tickets = api.get(
        f"/api/v1/shifts/{shift_id.group(1)}/tickets", params={"state": "completed"}
    ).json()["tickets"]
    lines = [line for ticket in tickets for line in ticket["lines"]]
    assert len(tickets) == 8
    assert {line["name"] for line in lines} == {"Build-your-own bowl"}
    for line in lines:
        chosen_names = set(line["modifiers"])
        assert len(chosen_names & {"Rice", "Noodles"}) == 1
        assert 2 <= len(chosen_names & {"Egg", "Tofu", "Kimchi", "Scallion"}) <= 3
