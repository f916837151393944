"""The owners' live fleet view over HTTP: the snapshot, and its stream of changes as
Server-Sent Events, to owners (every truck), managers (their own) and nobody else."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.core.model.shifts import Shift
from fusionx.entrypoints.http.controllers.fleet_live import LIVE_TIMING_STATE_KEY, LiveStreamTiming
from tests.http.conftest import Fleet, Headers, place

URL = "/api/v1/fleet/live"
# The stream ends by itself this long after it opened: what the test reads of it.
LIFETIME = 1.0


@pytest.fixture
def app(app: Litestar) -> Litestar:
    app.state[LIVE_TIMING_STATE_KEY] = LiveStreamTiming(lifetime=LIFETIME)
    return app


def events(text: str) -> list[dict[str, Any]]:
    """The stream's events: each with its id, its event name and its JSON data."""
    found = []
    for block in filter(None, text.replace("\r\n", "\n").strip().split("\n\n")):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            found.append(
                {"id": fields["id"], "event": fields["event"], **json.loads(fields["data"])}
            )
    return found


@pytest.fixture
async def curry_shift(check_in: Callable[..., Awaitable[Shift]], fleet: Fleet) -> Shift:
    return await check_in(fleet.curry, by=fleet.curry_manager)


async def test_owners_see_every_truck_and_managers_their_own(  # noqa: PLR0917
    client: AsyncTestClient[Litestar],
    fleet: Fleet,
    taco_shift: Shift,
    manager: Headers,
    sign_in: Callable[..., Awaitable[Headers]],
    restock: Any,
) -> None:
    await restock(taco_shift, fleet.burrito, 5, manager)
    await place(client, taco_shift, manager, (fleet.burrito, 2))  # type: ignore[arg-type]
    owner = await sign_in(fleet.owner)

    whole = await client.get(URL, headers=owner)
    own = await client.get(URL, headers=manager)
    other = await client.get(URL, headers=await sign_in(fleet.curry_manager))

    assert whole.status_code == 200, whole.text
    body = whole.json()
    lines = {line["truck_name"]: line for line in body["trucks"]}
    assert set(lines) == {"Taco Titan", "Curry On"}
    taco = lines["Taco Titan"]
    assert taco["shift"]["id"] == str(taco_shift.id)
    assert taco["shift"]["state"] == "open"
    assert (taco["orders_last_hour"], taco["queued_tickets"]) == (1, 1)
    assert taco["wait_seconds"] == 2 * 300  # the order ahead and one's own, 5 min each
    assert lines["Curry On"]["shift"] is None
    assert lines["Curry On"]["wait_seconds"] is None
    assert body["totals"] == {
        "trucks": 2, "open_shifts": 1, "orders_last_hour": 1, "queued_tickets": 1,
        "longest_wait_seconds": 600, "devices_offline": 0,
    }  # fmt: skip
    assert body["at"].endswith("Z") or body["at"].endswith("+00:00")
    assert [line["truck_name"] for line in own.json()["trucks"]] == ["Taco Titan"]
    assert [line["truck_name"] for line in other.json()["trucks"]] == ["Curry On"]
    assert own.json()["version"] != whole.json()["version"]


async def test_crew_devices_and_strangers_are_refused(
    client: AsyncTestClient[Litestar],
    fleet: Fleet,
    sign_in: Callable[..., Awaitable[Headers]],
    taco_device: Headers,
) -> None:
    crew = await sign_in(fleet.taco_crew)
    for path in (URL, f"{URL}/events"):
        answers = [
            (await client.get(path, headers=crew)).status_code,
            (await client.get(path, headers=taco_device)).status_code,
            (await client.get(path)).status_code,
        ]
        assert answers == [403, 403, 401], path


async def test_a_change_reaches_its_trucks_watchers_within_a_second_and_no_one_else(  # noqa: PLR0917
    same_loop_client: httpx.AsyncClient,
    client: AsyncTestClient[Litestar],
    fleet: Fleet,
    taco_shift: Shift,
    curry_shift: Shift,
    manager: Headers,
    sign_in: Callable[..., Awaitable[Headers]],
    restock: Any,
) -> None:
    await restock(taco_shift, fleet.burrito, 5, manager)
    owner, curry = await sign_in(fleet.owner), await sign_in(fleet.curry_manager)
    streams = [
        asyncio.create_task(same_loop_client.get(f"{URL}/events", headers=headers))
        for headers in (owner, manager, curry)
    ]
    await asyncio.sleep(0.1)  # subscribed, and the view sent
    await place(same_loop_client, taco_shift, manager, (fleet.burrito, 1))
    # The streams end LIFETIME after they opened: what they hold came within 0.9 s.
    owners, managers, currys = [await asyncio.wait_for(s, 5) for s in streams]

    assert owners.headers["content-type"].startswith("text/event-stream")
    assert owners.headers["cache-control"] == "no-store"
    for response in (owners, managers):
        snapshot, change = events(response.text)
        assert snapshot["event"] == "snapshot"
        assert change["event"] == change["kind"] == "orders.changed"
        assert change["truck_id"] == str(fleet.taco.id)
        assert change["truck"]["orders_last_hour"] == 1
        assert change["totals"]["orders_last_hour"] == 1
        assert change["id"] == change["version"] != snapshot["id"]
    [curry_snapshot] = events(currys.text)
    assert curry_snapshot["event"] == "snapshot"
    assert str(fleet.taco.id) not in currys.text


async def test_a_client_holding_the_current_view_is_sent_no_snapshot(
    same_loop_client: httpx.AsyncClient,
    taco_shift: Shift,
    manager: Headers,
) -> None:
    del taco_shift
    version = (await same_loop_client.get(URL, headers=manager)).json()["version"]

    resumed = await same_loop_client.get(
        f"{URL}/events", headers={**manager, "Last-Event-ID": version}
    )
    stale = await same_loop_client.get(
        f"{URL}/events", headers={**manager, "Last-Event-ID": "0" * 16}
    )

    assert resumed.status_code == 200, resumed.text
    assert events(resumed.text) == []
    [snapshot] = events(stale.text)
    assert snapshot["version"] == snapshot["id"] == version
