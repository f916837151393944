"""A worker whose every pooled connection stays in use past the pool's timeout is
overloaded, not broken: each way the app takes a connection (a unit of work, a reading
unit, the idempotency store, the database's rate limiter) fails as ``StorageBusy``, which
the HTTP edge answers 503 with ``Retry-After: 1``, never as SQLAlchemy's own error (a 500)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from fusionx.adapters.clock.system_clock import SystemClock
from fusionx.adapters.sql.database import SqlDatabase
from fusionx.ports.errors import StorageBusy
from tests.support.databases import MigratedDatabase

pytestmark = pytest.mark.postgres

_WAIT = 0.2


@pytest.fixture
async def one_connection(postgres: MigratedDatabase) -> AsyncIterator[SqlDatabase]:
    database = SqlDatabase(postgres.url, pool_size=1, pool_timeout_seconds=_WAIT)
    yield database
    await database.dispose()


async def _unit_of_work(database: SqlDatabase) -> None:
    async with database.unit_of_work():
        pass


async def _reader(database: SqlDatabase) -> None:
    async with database.reader() as reader:
        await reader.trucks.list_all()


async def _idempotency(database: SqlDatabase) -> None:
    await database.idempotency_store().begin(
        "caller", "key", "fingerprint", datetime.now(UTC),
        ttl=timedelta(hours=1), lease=timedelta(seconds=30),
    )  # fmt: skip


async def _rate_limiter(database: SqlDatabase) -> None:
    await database.rate_limiter(SystemClock(), "5/minute").hit("key")


TAKERS: dict[str, Callable[[SqlDatabase], Awaitable[None]]] = {
    "unit of work": _unit_of_work,
    "reading unit": _reader,
    "idempotency store": _idempotency,
    "rate limiter": _rate_limiter,
}


@pytest.mark.parametrize("taker", list(TAKERS))
async def test_an_exhausted_pool_is_storage_busy(one_connection: SqlDatabase, taker: str) -> None:
    # A pool of one keeps one connection and may open one more: hold both.
    async with one_connection.unit_of_work(), one_connection.unit_of_work():
        started = time.monotonic()
        with pytest.raises(StorageBusy, match="every database connection is in use"):
            await TAKERS[taker](one_connection)
        assert time.monotonic() - started < _WAIT + 2  # waited the pool's timeout, no more
    await TAKERS[taker](one_connection)  # connections back: it works again
