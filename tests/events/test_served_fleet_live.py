"""The live fleet stream across workers, end to end: ``fusionx serve --workers 2`` on
PostgreSQL. Owners' and managers' streams (spread by the kernel over both workers) hear
an order committed by a third process within a second, through NOTIFY and each worker's
listener feeding its hub's fleet feed; another truck's manager hears nothing of it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from fusionx.core.model.staff import Role
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.settings import Settings
from tests.events.conftest import place_order
from tests.factories import PASSWORD, ShiftWorld, make_staff, open_shift_world
from tests.support.databases import MigratedDatabase, migrated_postgres
from tests.support.served import Server, clean_environment
from tests.support.wiring import sql_wiring

pytestmark = pytest.mark.postgres

STREAMS = 4  # of each reader: more than one per worker, whichever the kernel picks
DEADLINE = 1.0  # seconds, from the commit to every watcher of the truck


@pytest.fixture(scope="module")
async def database() -> AsyncIterator[MigratedDatabase]:
    async with migrated_postgres() as database:
        yield database


@pytest.fixture(scope="module")
def server(database: MigratedDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = clean_environment(FUSIONX_DATABASE_URL=database.url, FUSIONX_LOG_FORMAT="json")
    log = tmp_path_factory.mktemp("fleet-live") / "serve.log"
    with Server(env, log, "--workers", "2") as server:
        yield server.url


@pytest.fixture
async def adapters(database: MigratedDatabase) -> AsyncIterator[Adapters]:
    """This test process, as a third instance writing to the same database."""
    await database.empty()
    async with sql_wiring(Settings(database_url=database.url)) as adapters:
        yield adapters


class Watcher:
    """One stream, read line by line in the background."""

    def __init__(self, http: httpx.AsyncClient, headers: dict[str, str]) -> None:
        self.events: asyncio.Queue[tuple[float, dict[str, Any]]] = asyncio.Queue()
        self._task = asyncio.create_task(self._read(http, headers))

    async def _read(self, http: httpx.AsyncClient, headers: dict[str, str]) -> None:
        async with http.stream("GET", "/api/v1/fleet/live/events", headers=headers) as answer:
            assert answer.status_code == 200
            event = None
            async for line in answer.aiter_lines():
                if line.startswith("event: "):
                    event = line.removeprefix("event: ")
                elif line.startswith("data: ") and event is not None:
                    data = json.loads(line.removeprefix("data: "))
                    self.events.put_nowait((time.monotonic(), {"event": event, **data}))

    async def next(self, timeout: float = 5.0) -> tuple[float, dict[str, Any]]:  # noqa: ASYNC109
        return await asyncio.wait_for(self.events.get(), timeout)

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


async def test_an_order_reaches_its_trucks_watchers_on_every_worker_and_no_one_else(
    server: str, adapters: Adapters
) -> None:
    taco: ShiftWorld = await open_shift_world(adapters)
    curry: ShiftWorld = await open_shift_world(adapters)
    owner = await make_staff(adapters, role=Role.OWNER)
    limits = httpx.Limits(max_connections=4 * STREAMS)
    async with httpx.AsyncClient(base_url=server, timeout=10, limits=limits) as http:
        headers = [await log_in(http, who.email) for who in (owner, taco.manager, curry.manager)]
        watchers = [Watcher(http, h) for h in headers for _ in range(STREAMS)]
        try:
            for watcher in watchers:
                _, snapshot = await watcher.next()
                assert snapshot["event"] == "snapshot"
            committed_at = time.monotonic()
            await place_order(adapters, taco)
            heard = [await w.next() for w in watchers[: 2 * STREAMS]]
            others = watchers[2 * STREAMS :]
            await asyncio.sleep(0.3)
        finally:
            for watcher in watchers:
                await watcher.close()

    assert all(w.events.empty() for w in others)
    assert {(e["event"], e["truck_id"]) for _, e in heard} == {
        ("orders.changed", str(taco.truck.id))
    }
    assert max(at for at, _ in heard) - committed_at < DEADLINE


async def log_in(http: httpx.AsyncClient, email: str) -> dict[str, str]:
    login = await http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['token']}"}
