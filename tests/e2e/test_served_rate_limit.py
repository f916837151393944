"""The public rate limit holds across workers (issue 16): ``fusionx serve --workers 2`` on
PostgreSQL, each request on a connection of its own so that the kernel spreads them over
both workers, lets a client through exactly as often as the limit says.

The same run with each worker counting alone (``memory://``) is the control: it lets the
client through more often than the limit, which shows the requests did reach both
workers, and so that the exact count of the first run is the shared store's doing.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.support.databases import MigratedDatabase, migrated_postgres
from tests.support.served import Server, clean_environment

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(sys.platform != "linux", reason="reads worker processes from /proc"),
]

LIMIT = 10
REQUESTS = 40
PUBLIC_ROUTE = "/schema/openapi.json"


@pytest.fixture(scope="module")
async def database() -> AsyncIterator[MigratedDatabase]:
    async with migrated_postgres() as database:
        yield database


def _answers(database: MigratedDatabase, log: Path, **settings: str) -> list[httpx.Response]:
    env = clean_environment(
        FUSIONX_DATABASE_URL=database.url,
        FUSIONX_LOG_FORMAT="json",
        FUSIONX_PUBLIC_RATE_LIMIT=f"{LIMIT}/minute",
        **settings,
    )
    with Server(env, log, "--workers", "2") as server:
        server.wait_for(lambda: len(server.workers()) == 2, "two listening workers")
        # No keep-alive: every request is a new connection, accepted by either worker.
        return [httpx.get(server.url + PUBLIC_ROUTE, timeout=30) for _ in range(REQUESTS)]


def test_the_limit_holds_across_two_workers(database: MigratedDatabase, tmp_path: Path) -> None:
    answers = _answers(database, tmp_path / "shared.log")

    assert [r.status_code for r in answers] == [200] * LIMIT + [429] * (REQUESTS - LIMIT)
    refused = answers[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["type"] == "/problems/rate-limited"


def test_counting_in_each_worker_alone_would_not_hold_it(
    database: MigratedDatabase, tmp_path: Path
) -> None:
    answers = _answers(
        database, tmp_path / "memory.log", FUSIONX_RATE_LIMIT_STORAGE_URL="memory://"
    )
    assert LIMIT < sum(r.status_code == 200 for r in answers) <= 2 * LIMIT
