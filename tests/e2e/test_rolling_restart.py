"""Two instances behind a load balancer survive a rolling restart (issue 19).

Two ``fusionx serve`` processes with two workers each share one PostgreSQL database,
behind a balancer that sends connections to the instances whose readiness answers 200
(``tests/support/balancer.py``, in nginx's role). Through it, ``fusionx simulate`` runs
a shift while three more clients follow the shift's stream and a till places orders
with an ``Idempotency-Key``, sending each one twice. Meanwhile each instance in turn is
stopped with SIGTERM and started again.

Then: the simulator's own check is clean (every event once, in order, matching the REST
state); every follower holds every event of the shift, once and in order; every order
the server acknowledged exists once, and each retried order took effect once.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from sqlalchemy import text
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from tests.support.balancer import Balancer
from tests.support.databases import MigratedDatabase, migrated_postgres
from tests.support.served import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(300)]

DEMO_LOGIN = {"email": "manager@demo.fusionx.test", "password": "fusionx-demo-password"}
DRAIN_SECONDS = 2
FOLLOWERS = 3
RETRIED_ORDERS = 12


class Instance:
    """One ``fusionx serve --workers 2``, which can be stopped gracefully and restarted."""

    def __init__(self, name: str, database_url: str, logs: Path) -> None:
        self.name = name
        self.port = free_port()
        self.restarts = 0
        self._log_path = logs / f"{name}.log"
        self._env = {k: v for k, v in os.environ.items() if not k.startswith("FUSIONX_")}
        self._env |= {
            "FUSIONX_DATABASE_URL": database_url,
            "FUSIONX_LOG_FORMAT": "json",
            "FUSIONX_SHUTDOWN_DRAIN_SECONDS": str(DRAIN_SECONDS),
            "FUSIONX_SHUTDOWN_GRACE_SECONDS": "20",
        }
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self._log_path.open("ab") as log:
            self._process = subprocess.Popen(  # noqa: S603 - our own CLI with fixed arguments
                [sys.executable, "-m", "fusionx.entrypoints.cli", "serve",
                 "--workers", "2", "--port", str(self.port)],
                env=self._env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while not self._ready():
            if self._process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{self.name} did not become ready:\n{self.output()}")
            time.sleep(0.1)

    def restart(self) -> None:
        """SIGTERM, wait for the graceful stop (status 0), start again on the same port."""
        exit_code = self.stop()
        assert exit_code == 0, f"{self.name} stopped with {exit_code}:\n{self.output()}"
        self.start()
        self.restarts += 1

    def stop(self) -> int | None:
        if self._process is None or self._process.poll() is not None:
            return None if self._process is None else self._process.returncode
        self._process.send_signal(signal.SIGTERM)
        try:
            return self._process.wait(timeout=45)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
            pytest.fail(f"{self.name} did not stop after SIGTERM:\n{self.output()}")

    def output(self) -> str:
        return self._log_path.read_text(errors="replace")

    def _ready(self) -> bool:
        try:
            url = f"http://127.0.0.1:{self.port}/health/ready"
            return httpx.get(url, timeout=2).status_code == 200
        except httpx.TransportError:
            return False


@pytest.fixture(scope="module")
async def database() -> AsyncIterator[MigratedDatabase]:
    async with migrated_postgres() as database:
        yield database


@pytest.fixture
def instances(database: MigratedDatabase, tmp_path: Path) -> Any:
    seeded = subprocess.run(
        [sys.executable, "-m", "fusionx.entrypoints.cli", "seed", "--demo", "--json"],
        env={k: v for k, v in os.environ.items() if not k.startswith("FUSIONX_")}
        | {"FUSIONX_DATABASE_URL": database.url},
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert seeded.returncode == 0, seeded.stderr
    pair = [Instance(name, database.url, tmp_path) for name in ("a", "b")]
    # Both at once: each start and stop takes seconds on a busy machine.
    with ThreadPoolExecutor(max_workers=2) as both:
        try:
            list(both.map(Instance.start, pair))
            yield pair
        finally:
            list(both.map(Instance.stop, pair))


class Follower:
    """A kitchen screen: follows the shift's stream, reconnecting with ``last_seq``."""

    def __init__(self, url: str, token: str) -> None:
        self._url = url
        self._headers = {"Authorization": f"Bearer {token}"}
        self.seqs: list[int] = []
        self.closes: list[int | None] = []

    async def follow_until(self, last_seq: asyncio.Future[int]) -> None:
        while not (last_seq.done() and self.seqs and self.seqs[-1] >= last_seq.result()):
            held = self.seqs[-1] if self.seqs else 0
            try:
                async with connect(
                    f"{self._url}?last_seq={held}", additional_headers=self._headers
                ) as ws:
                    while not (last_seq.done() and self.seqs[-1:] >= [last_seq.result()]):
                        with_timeout = asyncio.wait_for(ws.recv(), 0.5)
                        try:
                            message = json.loads(await with_timeout)
                        except TimeoutError:
                            continue
                        if "seq" in message:
                            self.seqs.append(message["seq"])
            except ConnectionClosed as closed:
                self.closes.append(closed.rcvd.code if closed.rcvd else None)
            except (OSError, InvalidHandshake):
                await asyncio.sleep(0.1)


async def _send(
    http: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str]
) -> httpx.Response:
    """POST as a careful client does across restarts: the same request again (same
    Idempotency-Key) until an answer that is not 'try again' arrives."""
    for _ in range(50):
        try:
            response = await http.post(path, json=body, headers=headers)
        except httpx.TransportError:
            await asyncio.sleep(0.1)
            continue
        if response.status_code == 503 or (
            response.status_code == 409
            and response.json().get("type") == "/problems/idempotency-in-flight"
        ):
            await asyncio.sleep(0.1)
            continue
        return response
    pytest.fail(f"no answer for {path} after 50 tries")


async def _till(
    http: httpx.AsyncClient, shift: str, item: str, auth: dict[str, str]
) -> list[tuple[httpx.Response, httpx.Response]]:
    """Orders placed, each sent twice with one key; both answers of each."""
    answers = []
    for _ in range(RETRIED_ORDERS):
        headers = auth | {"Idempotency-Key": str(uuid4())}
        body = {"lines": [{"item_id": item, "quantity": 1}]}
        first = await _send(http, f"/api/v1/shifts/{shift}/orders", body, headers)
        await asyncio.sleep(0.3)  # the retry may well reach the other instance
        again = await _send(http, f"/api/v1/shifts/{shift}/orders", body, headers)
        answers.append((first, again))
        await asyncio.sleep(0.5)
    return answers


async def _rolling_restart(instances: list[Instance]) -> None:
    for instance in instances:
        await asyncio.sleep(2)
        await asyncio.to_thread(instance.restart)


async def _simulate(base_url: str, shift: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "fusionx.entrypoints.cli", "simulate", "--base-url", base_url,
        "--shift", shift, "--orders", "40", "--rate", "2.5", "--prep-seconds", "0.5",
        "--double-tap", "0.1", "--seed", "19",
        env={k: v for k, v in os.environ.items() if not k.startswith("FUSIONX_")},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), 180)
    summary = output.decode(errors="replace")
    assert process.returncode == 0, summary
    return summary


def _placed(summary: str) -> int:
    found = re.search(r"^  orders placed\s+(\d+)/", summary, re.MULTILINE)
    assert found, summary
    return int(found.group(1))


async def test_two_instances_survive_a_rolling_restart_under_the_simulator(
    instances: list[Instance], database: MigratedDatabase
) -> None:
    with Balancer([("127.0.0.1", instance.port) for instance in instances]) as balancer:
        async with httpx.AsyncClient(base_url=balancer.url, timeout=30) as http:
            token = (await http.post("/api/v1/auth/login", json=DEMO_LOGIN)).json()["token"]
            auth = {"Authorization": f"Bearer {token}"}
            truck = (await http.get("/api/v1/me/trucks", headers=auth)).json()["items"][0]["id"]
            location = (await http.get("/api/v1/locations", headers=auth)).json()["items"][0]
            opened = await http.post(
                "/api/v1/shifts", headers=auth,
                json={"truck_id": truck, "location_id": location["id"]},
            )  # fmt: skip
            shift = opened.json()["id"]
            menu = (await http.get(f"/api/v1/shifts/{shift}/menu", headers=auth)).json()
            item = menu["categories"][0]["items"][0]["id"]

            stream_url = f"ws://127.0.0.1:{balancer.port}/api/v1/shifts/{shift}/events"
            followers = [Follower(stream_url, token) for _ in range(FOLLOWERS)]
            last_seq: asyncio.Future[int] = asyncio.get_running_loop().create_future()
            following = [asyncio.create_task(f.follow_until(last_seq)) for f in followers]

            summary, answers, _ = await asyncio.gather(
                _simulate(balancer.url, shift),
                _till(http, shift, item, auth),
                _rolling_restart(instances),
            )
            final = (await http.get(f"/api/v1/shifts/{shift}", headers=auth)).json()
            last_seq.set_result(final["last_seq"])
            await asyncio.wait_for(asyncio.gather(*following), 60)

    assert [instance.restarts for instance in instances] == [1, 1]
    assert all(balancer.connections[("127.0.0.1", i.port)] for i in instances)
    # The simulator's own check: its stream matched the REST state, with no gap or repeat.
    assert summary.rstrip().endswith("result: clean"), summary
    # Every follower has the whole shift, each event once and in order, across restarts.
    for follower in followers:
        assert follower.seqs == list(range(1, final["last_seq"] + 1)), follower.closes
    # Each instance told its streams to go elsewhere before it stopped.
    assert all(1001 in follower.closes for follower in followers), [f.closes for f in followers]
    # A retried order took effect once: the retry replays the first answer.
    created: list[UUID] = []
    for first, again in answers:
        assert again.status_code == first.status_code, (first.text, again.text)
        assert again.json() == first.json()
        assert again.headers.get("idempotent-replayed") == "true"
        if first.status_code == 201:
            created.append(UUID(first.json()["order"]["id"]))
    assert len(created) >= RETRIED_ORDERS // 2, [a.text for a, _ in answers]
    # Every acknowledged order exists, once: the simulator's and the till's, no more.
    async with database.engine.connect() as connection:
        in_shift = await connection.scalar(
            text("SELECT count(*) FROM orders WHERE shift_id = :shift"), {"shift": UUID(shift)}
        )
        ids = await connection.scalars(
            text("SELECT id FROM orders WHERE shift_id = :shift"), {"shift": UUID(shift)}
        )
        stored = {UUID(str(i)) for i in ids}
    assert set(created) <= stored
    assert in_shift == _placed(summary) + len(created)
