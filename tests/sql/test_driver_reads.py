"""The reads a reading unit sends straight to asyncpg on PostgreSQL (``driver_pool.py``)
fail as the session's do: out of reach is ``StorageUnavailable``, a pool in use past its
timeout ``StorageBusy``; and a connection the server closed while it sat idle is
replaced rather than failing the next request."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from fusionx.adapters.sql.database import SqlDatabase
from fusionx.adapters.sql.driver_pool import DriverPool
from fusionx.adapters.sql.engine import PoolLimits
from fusionx.core.model.tickets import OPEN_STATES, HeldFeed
from fusionx.ports.errors import StorageBusy, StorageUnavailable
from fusionx.ports.unit_of_work import UnitOfWork
from tests.support.databases import MigratedDatabase
from tests.support.entities import new_id

pytestmark = pytest.mark.postgres

_WAIT = 0.2
_CLOSED_PORT_URL = "postgresql+asyncpg://postgres@127.0.0.1:1/fusionx"


async def _credential(reader: UnitOfWork) -> None:
    assert await reader.tokens.get_with_holder("ab" * 32) is None


async def _feed(reader: UnitOfWork) -> None:
    now = datetime.now(UTC)
    assert (
        await reader.tickets.feed_json_unless_held(new_id(), OPEN_STATES, now, HeldFeed()) is None
    )


async def _head(reader: UnitOfWork) -> None:
    assert await reader.tickets.feed_head(new_id()) is None


DRIVER_READS: dict[str, Callable[[UnitOfWork], Awaitable[None]]] = {
    "credential": _credential,
    "kitchen feed": _feed,
    "feed head": _head,
}


@pytest.fixture
async def one_connection(postgres: MigratedDatabase) -> AsyncIterator[SqlDatabase]:
    database = SqlDatabase(postgres.url, pool_size=1, pool_timeout_seconds=_WAIT)
    yield database
    await database.dispose()


@pytest.mark.parametrize("read", list(DRIVER_READS))
async def test_an_unreachable_database_is_storage_unavailable(read: str) -> None:
    database = SqlDatabase(_CLOSED_PORT_URL)
    try:
        with pytest.raises(StorageUnavailable, match=r"^database unreachable: "):
            async with database.reader() as reader:
                await DRIVER_READS[read](reader)
    finally:
        await database.dispose()


@pytest.mark.parametrize("read", list(DRIVER_READS))
async def test_a_driver_pool_in_use_past_its_timeout_is_storage_busy(
    one_connection: SqlDatabase, read: str
) -> None:
    async with one_connection.reader() as holding:
        await _credential(holding)  # takes the pool's one driver connection, and keeps it
        started = time.monotonic()
        with pytest.raises(StorageBusy, match="every database connection is in use"):
            async with one_connection.reader() as reader:
                await DRIVER_READS[read](reader)
        assert time.monotonic() - started < _WAIT + 2
    async with one_connection.reader() as reader:  # given back: it works again
        await DRIVER_READS[read](reader)


async def test_a_unit_that_only_reads_by_driver_takes_no_session_connection(
    one_connection: SqlDatabase,
) -> None:
    # The SQLAlchemy pool's two connections are both held: a credential read and a feed
    # read still go through, on the driver's own connection.
    async with (
        one_connection.unit_of_work(),
        one_connection.unit_of_work(),
        one_connection.reader() as reader,
    ):
        for read in DRIVER_READS.values():
            await read(reader)


async def test_a_driver_connection_the_server_closed_while_idle_is_replaced(
    postgres: MigratedDatabase, one_connection: SqlDatabase
) -> None:
    async with postgres.engine.connect() as admin:
        since = await admin.scalar(text("SELECT clock_timestamp()"))
        async with one_connection.reader() as reader:
            await _credential(reader)
        killed = await admin.scalar(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND backend_start > :since"
                " AND pid <> pg_backend_pid() AND query LIKE '%access_tokens.token_hash%'"
            ),
            {"since": since},
        )
        assert killed is True
        for _ in range(100):  # until the server has reaped it
            gone = not await admin.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND backend_start > :since AND pid <> pg_backend_pid()"
                ),
                {"since": since},
            )
            if gone:
                break
            await asyncio.sleep(0.02)

    async with one_connection.reader() as reader:
        for read in DRIVER_READS.values():
            await read(reader)


async def test_closing_does_not_wait_for_a_connection_never_given_back(
    postgres: MigratedDatabase,
) -> None:
    database = SqlDatabase(postgres.url)
    reader = database.reader()
    await reader.__aenter__()
    await _credential(reader)  # its driver connection is out, and stays out
    started = time.monotonic()
    await database.dispose()
    assert time.monotonic() - started < 10


@pytest.fixture
async def driver_pool(postgres: MigratedDatabase) -> AsyncIterator[DriverPool]:
    pool = DriverPool(postgres.engine, PoolLimits(size=1, timeout_seconds=_WAIT))
    yield pool
    await pool.close()


async def test_a_connection_given_back_is_the_next_one_taken(driver_pool: DriverPool) -> None:
    first = await driver_pool.acquire()
    await driver_pool.release(first)
    again = await driver_pool.acquire()
    assert again is first
    assert await again.fetchval("SELECT 1") == 1
    await driver_pool.release(again)


async def test_a_read_cut_short_leaves_the_next_read_a_usable_connection(
    driver_pool: DriverPool,
) -> None:
    connection = await driver_pool.acquire()
    slow = asyncio.create_task(connection.fetchval("SELECT pg_sleep(30)"))
    await asyncio.sleep(0.1)
    slow.cancel()
    with pytest.raises(asyncio.CancelledError):
        await slow
    await driver_pool.release(connection, cleanly=False)  # as a unit that failed does
    started = time.monotonic()
    nxt = await driver_pool.acquire()
    assert await nxt.fetchval("SELECT 2") == 2
    assert time.monotonic() - started < 5
    await driver_pool.release(nxt)


async def test_closing_gives_back_the_connections_kept_for_reuse(driver_pool: DriverPool) -> None:
    connection = await driver_pool.acquire()
    await driver_pool.release(connection)  # kept, still taken from asyncpg's pool
    started = time.monotonic()
    await driver_pool.close()  # asyncpg's own close would wait its timeout for a kept one
    assert time.monotonic() - started < 2


async def test_reads_waiting_for_the_one_connection_each_get_it_in_turn(
    one_connection: SqlDatabase,
) -> None:
    # Ten reads at once on a pool of one: nine wait, and each must be handed the
    # connection as the one before gives it back, well within the pool's timeout.
    async def read() -> None:
        async with one_connection.reader() as reader:
            await _credential(reader)

    await asyncio.gather(*(read() for _ in range(10)))


async def _waiting_read(driver_pool: DriverPool) -> asyncio.Task[object]:
    """A take that waits, the pool's one connection being out."""
    task = asyncio.create_task(driver_pool.acquire())
    for _ in range(3):
        await asyncio.sleep(0)
    assert not task.done()
    return task


async def test_a_read_that_stops_waiting_leaves_the_connection_to_the_next(
    driver_pool: DriverPool,
) -> None:
    held = await driver_pool.acquire()
    waiting = await _waiting_read(driver_pool)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await driver_pool.release(held)
    again = await driver_pool.acquire()  # at once, not after the pool's timeout
    assert await again.fetchval("SELECT 3") == 3
    await driver_pool.release(again)


async def test_a_connection_handed_to_a_read_cancelled_meanwhile_is_passed_on(
    driver_pool: DriverPool,
) -> None:
    held = await driver_pool.acquire()
    waiting = await _waiting_read(driver_pool)
    await driver_pool.release(held)  # handed to the waiting read...
    waiting.cancel()  # ...which is cancelled before it runs again
    with pytest.raises(asyncio.CancelledError):
        await waiting
    again = await asyncio.wait_for(driver_pool.acquire(), _WAIT / 2)
    assert again is held
    await driver_pool.release(again)


async def test_a_connection_given_back_by_a_failed_unit_frees_its_place_for_a_waiting_read(
    driver_pool: DriverPool,
) -> None:
    held = await driver_pool.acquire()
    waiting = await _waiting_read(driver_pool)
    await driver_pool.release(held, cleanly=False)  # to asyncpg's pool, which resets it
    taken = await asyncio.wait_for(waiting, _WAIT * 5)
    assert await taken.fetchval("SELECT 4") == 4
    await driver_pool.release(taken)
