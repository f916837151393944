"""A worker that dies is replaced while the others serve: ``fusionx serve --workers 2`` on
PostgreSQL, under load, has each of its workers killed with SIGKILL in turn.

The service must answer throughout: no connection is ever refused, and the only requests
allowed to fail are those the killed worker had in hand when it died (each load thread
has at most one request in flight, so at most one per thread). Every request sent once the
worker was gone must succeed. Killing the second original worker once the first one's
replacement listens proves the replacement serves: for a moment it is the only worker.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.support.databases import MigratedDatabase, migrated_postgres
from tests.support.processes import listens
from tests.support.served import Server, clean_environment

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(sys.platform != "linux", reason="reads worker processes from /proc"),
]

LOAD_THREADS = 4


@pytest.fixture(scope="module")
async def database() -> AsyncIterator[MigratedDatabase]:
    async with migrated_postgres() as database:
        yield database


@pytest.fixture
def server(database: MigratedDatabase, tmp_path: Path) -> Iterator[Server]:
    env = clean_environment(FUSIONX_DATABASE_URL=database.url, FUSIONX_LOG_FORMAT="json")
    with Server(env, tmp_path / "serve.log", "--workers", "2") as server:
        server.wait_for(lambda: len(server.workers()) == 2, "two listening workers")
        yield server


@dataclass(frozen=True)
class Outcome:
    started: float
    ended: float
    error: BaseException | None


@dataclass
class Load:
    """Threads sending ``GET /health/ready`` (which asks the database) back to back, each
    on a new connection, so that every request is accepted by a worker of its own."""

    url: str
    outcomes: list[Outcome] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def __enter__(self) -> Load:
        self._threads = [threading.Thread(target=self._run) for _ in range(LOAD_THREADS)]
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            started, error = time.monotonic(), None
            try:
                response = httpx.get(f"{self.url}/health/ready", timeout=10)
                if response.status_code != 200:
                    error = AssertionError(f"{response.status_code}: {response.text}")
            except httpx.HTTPError as failure:
                error = failure
            self.outcomes.append(Outcome(started, time.monotonic(), error))

    def answered_since(self, moment: float) -> int:
        return sum(1 for o in self.outcomes if o.started >= moment and o.error is None)


@dataclass(frozen=True)
class Kill:
    sent: float  # when SIGKILL went
    gone: float  # when the worker's listening socket was seen gone with it

    def had_in_hand(self, outcome: Outcome) -> bool:
        return outcome.started < self.gone and outcome.ended >= self.sent


def kill(server: Server, worker: int) -> Kill:
    sent = time.monotonic()
    os.kill(worker, signal.SIGKILL)
    server.wait_for(lambda: not listens(worker, server.port), f"worker {worker} to die")
    return Kill(sent, time.monotonic())


def test_a_killed_worker_is_replaced_while_the_other_serves(server: Server) -> None:
    first, second = sorted(server.workers())

    with Load(server.url) as load:
        server.wait_for(lambda: load.answered_since(0) >= 20, "the load to be served")

        kills = [kill(server, first)]
        server.wait_for(lambda: len(server.workers() - {second}) == 1, "a replacement worker")
        (replacement,) = server.workers() - {second}
        server.wait_for(lambda: load.answered_since(kills[0].gone) >= 20, "answers after a kill")

        kills.append(kill(server, second))  # the replacement alone serves, for a moment
        server.wait_for(lambda: len(server.workers() - {replacement}) == 1, "a second one")
        server.wait_for(lambda: load.answered_since(kills[1].gone) >= 20, "answers after it")

    assert server.process.poll() is None, server.output()
    assert server.workers().isdisjoint({first, second})
    failed = [o for o in load.outcomes if o.error is not None]
    errors = [f"{type(o.error).__name__}: {o.error}" for o in failed]
    assert not any(isinstance(o.error, httpx.ConnectError) for o in failed), errors
    # Only what a killed worker had in hand may fail: at most one request per thread.
    assert all(any(k.had_in_hand(o) for k in kills) for o in failed), errors
    for k in kills:
        assert sum(k.had_in_hand(o) for o in failed) <= LOAD_THREADS, errors
