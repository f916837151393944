"""Cross-worker fan-out, end to end: ``fusionx serve --workers 2`` on PostgreSQL.

Several WebSocket clients (spread by the kernel over both workers) follow one shift;
orders committed by a third process reach every one of them, through NOTIFY and each
worker's listener, in order and exactly once. A revoked credential's streams end on
every worker within a second, whichever process revoked it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Iterator
from uuid import UUID

import httpx
import msgspec
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from fusionx.core.use_cases.commands.revoke_device import RevokeDevice
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.settings import Settings
from tests.events.conftest import logged, place_order
from tests.factories import PASSWORD, ShiftWorld, open_shift_world
from tests.support.databases import MigratedDatabase, migrated_postgres
from tests.support.served import Server, clean_environment
from tests.support.wiring import sql_wiring

pytestmark = pytest.mark.postgres

CLIENTS = 8
REVOCATION_DEADLINE = 1.0  # seconds, as the README promises


@pytest.fixture(scope="module")
async def database() -> AsyncIterator[MigratedDatabase]:
    async with migrated_postgres() as database:
        yield database


@pytest.fixture(scope="module")
def server(database: MigratedDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = clean_environment(FUSIONX_DATABASE_URL=database.url, FUSIONX_LOG_FORMAT="json")
    log = tmp_path_factory.mktemp("fanout") / "serve.log"
    with Server(env, log, "--workers", "2") as server:
        yield server.url


@pytest.fixture
async def adapters(database: MigratedDatabase) -> AsyncIterator[Adapters]:
    """This test process, as a third instance writing to the same database."""
    await database.empty()
    async with sql_wiring(Settings(database_url=database.url)) as adapters:
        yield adapters


async def test_every_client_on_every_worker_gets_every_event_once_in_order(
    server: str, adapters: Adapters
) -> None:
    world: ShiftWorld = await open_shift_world(adapters)
    async with httpx.AsyncClient(base_url=server) as http:
        headers = await log_in(http, world)
    so_far = len(await logged(adapters, world.shift.id))

    clients = await streams(server, world, headers, replayed=so_far)
    try:
        for _ in range(3):
            await place_order(adapters, world)
        total = len(await logged(adapters, world.shift.id))
        received = await asyncio.gather(*(seqs(c, total - so_far) for c in clients))
    finally:
        for client in clients:
            await client.close()
    assert received == [list(range(so_far + 1, total + 1))] * CLIENTS


async def test_a_device_revoked_by_another_instance_loses_every_stream_within_a_second(
    server: str, adapters: Adapters
) -> None:
    world: ShiftWorld = await open_shift_world(adapters)
    async with httpx.AsyncClient(base_url=server) as http:
        manager = await log_in(http, world)
        registered = await http.post(
            f"/api/v1/trucks/{world.truck.id}/devices",
            json={"label": "Grill", "platform": "ipados", "app_version": "1", "os_version": "17"},
            headers=manager,
        )
    assert registered.status_code == 201, registered.text
    device = registered.json()
    clients = await streams(server, world, {"Authorization": f"Bearer {device['credential']}"})
    revoke = RevokeDevice(adapters.uow(), adapters.clock)
    await closed_in_time(clients, revoke.execute(world.principal, UUID(device["device"]["id"])))


async def test_a_session_logged_out_on_one_worker_loses_its_streams_on_both(
    server: str, adapters: Adapters
) -> None:
    world: ShiftWorld = await open_shift_world(adapters)
    async with httpx.AsyncClient(base_url=server) as http:
        session = await log_in(http, world)
        clients = await streams(server, world, session)
        await closed_in_time(clients, http.post("/api/v1/auth/logout", headers=session))


async def log_in(http: httpx.AsyncClient, world: ShiftWorld) -> dict[str, str]:
    login = await http.post(
        "/api/v1/auth/login", json={"email": world.manager.email, "password": PASSWORD}
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['token']}"}


async def streams(
    server: str, world: ShiftWorld, headers: dict[str, str], replayed: int = 1
) -> list[ClientConnection]:
    """CLIENTS streams of the shift, each caught up (the first ``replayed`` events replayed
    to it): authenticated and subscribed by the time this returns."""
    ws_url = server.replace("http", "ws", 1) + f"/api/v1/shifts/{world.shift.id}/events"
    clients = [await connect(ws_url, additional_headers=headers) for _ in range(CLIENTS)]
    for client in clients:
        assert await seqs(client, replayed) == list(range(1, replayed + 1))
    return clients


async def closed_in_time(clients: list[ClientConnection], revocation: Awaitable[object]) -> None:
    """Revoke, then see every client closed with 4401 within the deadline."""
    try:
        revoked_at = time.monotonic()
        await revocation
        closes = await asyncio.gather(*(closed(c, revoked_at) for c in clients))
    finally:
        for client in clients:
            await client.close()
    assert {code for code, _ in closes} == {4401}
    assert max(seconds for _, seconds in closes) < REVOCATION_DEADLINE, closes


async def closed(client: ClientConnection, since: float) -> tuple[int | None, float]:
    """The close code the server sent, and how long after ``since`` it came."""
    async with asyncio.timeout(10):
        try:
            while True:
                await client.recv()  # pings, or events
        except ConnectionClosed as closing:
            code = closing.rcvd.code if closing.rcvd is not None else None
    return code, time.monotonic() - since


async def seqs(client: ClientConnection, count: int) -> list[int]:
    out: list[int] = []
    async with asyncio.timeout(10):
        while len(out) < count:
            message = msgspec.json.decode(await client.recv())
            if message["type"] != "ping":
                out.append(message["seq"])
    return out
