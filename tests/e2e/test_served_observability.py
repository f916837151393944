"""What an operator sees of ``fusionx serve --workers 2`` on PostgreSQL: ``/metrics``
adds up both workers' figures, and every line the process writes is one JSON object,
granian's own start-up lines and a WebSocket session's included."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from fusionx.adapters.observability.metrics import HOT_FLUSH_SECONDS
from fusionx.entrypoints.bootstrap import Adapters, sql_adapters
from fusionx.entrypoints.settings import Settings
from tests.events.conftest import logged, place_order
from tests.factories import PASSWORD, ShiftWorld, open_shift_world
from tests.observability.scrapes import Scrape
from tests.support.databases import MigratedDatabase, migrated_postgres
from tests.support.processes import workers
from tests.support.served import free_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(sys.platform != "linux", reason="reads worker processes from /proc"),
]

TOKEN = "scraper-token-0123456789"
PROBES = 40


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    url: str
    port: int
    stdout: Path
    stderr: Path
    metrics_dir: Path

    def scrape(self) -> Scrape:
        response = httpx.get(
            f"{self.url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
        )
        assert response.status_code == 200, response.text
        return Scrape(response.text)

    def lines(self) -> list[str]:
        text = self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")
        return [line for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
async def database() -> AsyncIterator[MigratedDatabase]:
    async with migrated_postgres() as database:
        yield database


@pytest.fixture(scope="module")
def served(
    database: MigratedDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("served")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FUSIONX_", "OTEL_"))}
    env |= {
        "FUSIONX_DATABASE_URL": database.url,
        "FUSIONX_LOG_FORMAT": "json",
        "FUSIONX_METRICS_TOKEN": TOKEN,
        "FUSIONX_METRICS_DIR": str(folder / "metrics"),
    }
    port = free_port()
    stdout, stderr = folder / "stdout.log", folder / "stderr.log"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(  # noqa: S603 - our own CLI with fixed arguments
            [sys.executable, "-m", "fusionx.entrypoints.cli", "serve", "--workers", "2",
             "--port", str(port)],
            env=env, stdout=out, stderr=err,
        )  # fmt: skip
        served = Served(
            process, f"http://127.0.0.1:{port}", port, stdout, stderr, folder / "metrics"
        )
        try:
            deadline = time.monotonic() + 60
            while len(workers(process.pid, port)) < 2 or not _ready(served.url):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("fusionx serve did not start:\n" + "\n".join(served.lines()))
                time.sleep(0.1)
            yield served
        finally:
            process.terminate()
            process.wait(timeout=30)


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health/ready", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture
async def adapters(database: MigratedDatabase) -> AsyncIterator[Adapters]:
    """This test process, as another instance writing to the same database."""
    adapters = sql_adapters(Settings(database_url=database.url))
    yield adapters
    for hook in adapters.on_shutdown:
        await hook()


def test_request_totals_add_up_across_both_workers(served: Served) -> None:
    path = "/health/live"
    before = served.scrape().value("fusionx_http_requests_total", path=path)
    for _ in range(PROBES):  # a connection each: the kernel spreads them over the workers
        assert httpx.get(served.url + path, timeout=5).status_code == 200
    wrong = {"email": "nobody@example.com", "password": "not-the-password"}
    failures = [httpx.post(f"{served.url}/api/v1/auth/login", json=wrong) for _ in range(3)]
    assert [f.status_code for f in failures] == [401] * 3

    time.sleep(HOT_FLUSH_SECONDS + 0.5)  # the pool's and transactions' figures are written
    # Whichever worker answers a scrape, it reports both workers' requests.
    scrapes = [served.scrape() for _ in range(6)]
    for scrape in scrapes:
        assert scrape.value("fusionx_http_requests_total", path=path) - before == PROBES
        assert scrape.value("fusionx_sign_in_failures_total") == 3
        assert scrape.value("fusionx_ready") == 1
        assert scrape.has("fusionx_outbox_pending")
        assert scrape.has("fusionx_outbox_oldest_pending_age_seconds")
        assert scrape.value("fusionx_unit_of_work_seconds_count", outcome="commit") > 0
        assert scrape.value("fusionx_db_pool_wait_seconds_count") > 0
        assert scrape.value("fusionx_db_pool_connections_max") == 2 * 20  # two workers' pools
    # Both workers wrote figures (files named by process id), so both were added up.
    pids = {path.stem.rpartition("_")[2] for path in served.metrics_dir.glob("counter_*.db")}
    assert {str(pid) for pid in workers(served.process.pid, served.port)} <= pids


async def test_a_stream_is_counted_open_and_its_events_sent_and_their_lag(
    served: Served, adapters: Adapters, database: MigratedDatabase
) -> None:
    world: ShiftWorld = await open_shift_world(adapters)
    async with httpx.AsyncClient(base_url=served.url) as http:
        login = await http.post(
            "/api/v1/auth/login", json={"email": world.manager.email, "password": PASSWORD}
        )
    headers = {"Authorization": f"Bearer {login.json()['token']}", "X-Request-ID": "stream-one"}
    ws_url = served.url.replace("http", "ws", 1) + f"/api/v1/shifts/{world.shift.id}/events"
    before = served.scrape()
    so_far = len(await logged(adapters, world.shift.id))
    async with connect(ws_url, additional_headers=headers) as client:
        for _ in range(so_far):
            await asyncio.wait_for(client.recv(), 10)
        await place_order(adapters, world)
        total = len(await logged(adapters, world.shift.id))
        for _ in range(total - so_far):
            await asyncio.wait_for(client.recv(), 10)
        sent, lag = "fusionx_stream_events_sent_total", "fusionx_stream_lag_seconds_count"
        # A worker writes its stream figures once a second (metrics.HotFigures).
        deadline = time.monotonic() + 10
        while (during := served.scrape()).value(sent) - before.value(sent) < total:
            assert time.monotonic() < deadline, "the events sent are not counted"
            await asyncio.sleep(0.2)
    assert during.value("fusionx_stream_connections") == 1
    assert during.value(sent) - before.value(sent) == total
    assert during.value(lag) - before.value(lag) == total - so_far
    deadline = time.monotonic() + 10
    while served.scrape().value("fusionx_stream_connections") != 0:
        assert time.monotonic() < deadline, "the closed stream is still counted"
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)  # its closing lines are written
    session = [json.loads(line) for line in served.lines() if '"stream-one"' in line]
    assert {record["event"] for record in session} >= {"websocket_opened", "websocket_ended"}


def test_every_line_written_is_one_json_object(served: Served) -> None:
    assert httpx.get(served.url + "/no/such/route").status_code == 404
    records = []
    for line in served.lines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"a line that is not JSON: {line!r}")
    assert all(isinstance(record, dict) for record in records)
    loggers = {record.get("logger") for record in records}
    assert "_granian" in loggers  # granian's own start-up lines
    assert any(record.get("event") == "request" for record in records)
