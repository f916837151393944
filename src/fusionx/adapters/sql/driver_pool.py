"""asyncpg's own pool, for the reads every request makes on PostgreSQL.

The credential behind every request and the kitchen feed every tablet polls are each one
statement in a unit that only reads. Through SQLAlchemy's pool and an ``AsyncSession``
such a unit cost about 400 µs of CPU; through asyncpg's pool, with no reset query on
release, about 120 µs, most of it the statement itself (docs/benchmarks.md). The
statements are the ones the SQLAlchemy repositories run, sent as they are.

The pool is the app's second one on the same database, sized and timed as the first
(``PoolLimits``), metered into the same figures, and failing the same way: a wait past
the timeout is ``StorageBusy``, a database out of reach ``StorageUnavailable``.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeAlias

import asyncpg  # type: ignore[import-untyped]  # no stubs, no py.typed
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

from fusionx.adapters.observability.metrics import metrics
from fusionx.adapters.sql.engine import PoolLimits
from fusionx.ports.errors import StorageBusy, StorageUnavailable

# What asyncpg's pool hands out (a proxy of ``asyncpg.Connection``); asyncpg has no types.
DriverConnection: TypeAlias = Any
# What a repository is given to reach its unit's driver connection (taken on first use).
ConnectionSource = Callable[[], Awaitable[DriverConnection]]

# Options of SQLAlchemy's asyncpg adaptor that a URL may carry and asyncpg does not take.
_ADAPTOR_OPTIONS = ("prepared_statement_cache_size", "prepared_statement_name_func")
_CONNECT_TIMEOUT_SECONDS = 5
_CLOSE_WAIT_SECONDS = 5
# What giving a connection back may raise once asyncpg has already cut it.
_RELEASE_ERRORS = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


class DriverStatement:
    """A Core statement compiled once for asyncpg, so that a read on a driver connection
    runs the very statement its repository runs through SQLAlchemy: the SQL, and its
    parameters in asyncpg's order (the statement's own literals included)."""

    def __init__(self, statement: ClauseElement) -> None:
        compiled = statement.compile(dialect=asyncpg_dialect())  # type: ignore[no-untyped-call]
        if not isinstance(compiled, SQLCompiler):  # pragma: no cover - DDL, not a read
            raise TypeError(f"not a statement to read with: {statement}")
        self.sql = str(compiled)
        self._names: Sequence[str] = compiled.positiontup or ()
        self._fixed = compiled.params

    def arguments(self, **given: object) -> list[object]:
        return [given[name] if name in given else self._fixed[name] for name in self._names]


async def _keep_session_state(_connection: DriverConnection) -> None:
    """Nothing to reset on release. The reads set no session state, take no lock and
    LISTEN to nothing (asyncpg still rolls back a transaction left open, which a read
    never opens); asyncpg's default reset is a round trip on every release."""


def _open(connection: DriverConnection) -> bool:
    """Whether ``connection`` is still up and still ours: one the server closed is
    handed back to asyncpg's pool by asyncpg itself, and refuses to be asked."""
    try:
        return not connection.is_closed()
    except asyncpg.InterfaceError:
        return False


class DriverPool:
    """Connections straight from asyncpg, for units that only read, on ``engine``'s database.

    The pool is made on first use, inside the loop that serves requests. ``close`` at
    shutdown.

    asyncpg's pool makes and replaces the connections; a connection a read gives back is
    handed to the next read here, without going back to asyncpg's pool. A kitchen poll
    answered 304 takes and gives back two (the credential's unit and the feed's), and
    asyncpg's pool spent a fifth of that request's CPU on it: a timeout around each take,
    a shielded task around each return (docs/benchmarks.md, seventh pass). What asyncpg's
    return would do for a read's connection is nothing: the reads set no state. So a
    connection given back goes to the read that has waited longest, or waits for the next;
    one the server closed, left in a transaction or given back by a unit that failed goes
    back to asyncpg's pool, which replaces or resets it, and its place to the next read.
    """

    def __init__(self, engine: AsyncEngine, limits: PoolLimits) -> None:
        self._connect_options = dict(engine.dialect.create_connect_args(engine.url)[1])
        for option in _ADAPTOR_OPTIONS:
            self._connect_options.pop(option, None)
        self._limits = limits
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()
        self._held = 0  # connections taken from asyncpg's pool and not given back to it
        self._kept: list[DriverConnection] = []  # of those, the ones no read is using
        # Reads waiting for a connection while all are in use: each is handed one, or
        # None when a place came free (it then takes a connection from asyncpg's pool).
        self._waiters: deque[asyncio.Future[DriverConnection | None]] = deque()

    async def acquire(self) -> DriverConnection:
        started = time.perf_counter()
        try:
            while True:
                while self._kept:
                    kept = self._kept.pop()
                    if _open(kept):
                        metrics().connection_taken()
                        return kept
                    await self._give_back(kept)
                if self._held < self._limits.size:
                    connection = await self._take_from_asyncpg()
                    metrics().connection_taken()
                    return connection
                handed = await self._wait_for_one()
                if handed is not None:
                    metrics().connection_taken()
                    return handed
        finally:
            metrics().pool_waited(time.perf_counter() - started)

    async def release(self, connection: DriverConnection, *, cleanly: bool = True) -> None:
        """Give ``connection`` back; ``cleanly`` if its unit ended without an error (else
        a read may have been cut short, and asyncpg's pool waits it out or replaces it)."""
        metrics().connection_returned()
        if self._pool is None:  # closed meanwhile: the connection went with it
            return
        if not cleanly or not _open(connection) or connection.is_in_transaction():
            await self._give_back(connection)
            return
        self._hand_on(connection)

    async def close(self) -> None:
        """Close the connections once given back; those still out after a few seconds
        (a read stuck on a dead network) are cut, so shutting down never hangs."""
        pool, self._pool = self._pool, None
        kept, self._kept = self._kept, []
        waiters, self._waiters = self._waiters, deque()
        for waiter in waiters:
            if not waiter.done():
                waiter.set_exception(StorageUnavailable("database connections closing"))
        if pool is None:
            return
        metrics().db_pool_capacity.dec(self._limits.size)
        for connection in kept:  # else asyncpg's close would wait for them
            with contextlib.suppress(*_RELEASE_ERRORS):
                await pool.release(connection)
        try:
            await asyncio.wait_for(pool.close(), _CLOSE_WAIT_SECONDS)
        except TimeoutError:
            pool.terminate()

    def _hand_on(self, connection: DriverConnection | None) -> None:
        """``connection`` (or, None, a free place) to the longest waiting read, if any."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(connection)
                return
        if connection is not None:
            self._kept.append(connection)

    async def _wait_for_one(self) -> DriverConnection | None:
        waiter: asyncio.Future[DriverConnection | None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(self._limits.timeout_seconds):
                return await waiter
        except BaseException as error:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                # Handed one, but timed out or cancelled meanwhile: pass it on.
                self._hand_on(waiter.result())
            else:
                waiter.cancel()  # left in the queue, skipped by whoever hands one on
            if isinstance(error, TimeoutError):
                raise StorageBusy(
                    "every database connection is in use: no driver connection came free"
                ) from error
            raise

    async def _take_from_asyncpg(self) -> DriverConnection:
        pool = self._pool or await self._open()
        self._held += 1
        try:
            connection: DriverConnection = await pool.acquire(timeout=self._limits.timeout_seconds)
        except TimeoutError as error:
            self._left_asyncpg_pool()
            if pool.get_size() < self._limits.size or pool.get_idle_size():
                # Room to connect, so what timed out is connecting: an outage.
                raise StorageUnavailable("database unreachable: connecting timed out") from error
            raise StorageBusy(  # pragma: no cover - only this pool takes from asyncpg's
                "every database connection is in use: no driver connection came free"
            ) from error
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            self._left_asyncpg_pool()
            raise StorageUnavailable(f"database unreachable: {error}") from error
        except BaseException:
            self._left_asyncpg_pool()
            raise
        return connection

    async def _give_back(self, connection: DriverConnection) -> None:
        """Return ``connection`` to asyncpg's pool, which replaces or resets it, and its
        place to the next read."""
        self._left_asyncpg_pool()
        if self._pool is None:
            return
        try:
            await self._pool.release(connection)
        except _RELEASE_ERRORS:
            # asyncpg has terminated the connection and will open another: the read it
            # served succeeded, and its answer should not turn into an error now.
            return

    def _left_asyncpg_pool(self) -> None:
        self._held -= 1
        self._hand_on(None)

    async def _open(self) -> asyncpg.Pool:
        async with self._opening:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(
                    min_size=0,
                    max_size=self._limits.size,
                    reset=_keep_session_state,
                    timeout=_CONNECT_TIMEOUT_SECONDS,
                    **self._connect_options,
                )
                metrics().db_pool_capacity.inc(self._limits.size)
            return self._pool
