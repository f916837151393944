"""Building the async engine for either supported database, tuned for each."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import Connection, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext import asyncio as sqlalchemy_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import ConnectionPoolEntry, NullPool, PoolProxiedConnection

from fusionx.adapters.sql.metered import MeteredQueuePool, meter_engine

# WAL lets readers run beside the one writer; busy_timeout makes a second writer wait
# for the lock instead of failing at once; NORMAL sync is safe in WAL mode.
_SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA journal_mode=WAL",
    "PRAGMA busy_timeout=5000",
    "PRAGMA synchronous=NORMAL",
)
# Seconds asyncpg may spend opening a connection before the database counts as down.
_PG_CONNECT_TIMEOUT = 5
# A pooled connection idle this long is pinged before use: the server may have closed it
# (restart, idle timeout, a proxy). One in steady use is not (HikariCP's "alive bypass
# window" is the same idea, at 0.5 s): SQLAlchemy's pre-ping on asyncpg costs three round
# trips (BEGIN, a query, ROLLBACK) at every checkout, which was a third of the kitchen
# feed's round trips (docs/benchmarks.md).
PING_AFTER_IDLE_SECONDS = 1.0
_RETURNED_AT = "fusionx_returned_at"


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_async_engine(url: URL, **options: Any) -> AsyncEngine:
    # Looked up at each call: OpenTelemetry's SQLAlchemy instrumentation, when tracing is
    # on, wraps the module's function to trace every engine made after it.
    return sqlalchemy_asyncio.create_async_engine(url, **options)


@dataclass(frozen=True)
class PoolLimits:
    """Each worker's PostgreSQL pool: ``size`` kept connections and as many more under load,
    and how long a request waits for one before it is told to retry (503, Retry-After)."""

    size: int = 10
    timeout_seconds: float = 10.0


def build_engine(
    url: str | URL,
    *,
    pooled: bool = True,
    ping_after_idle: float = PING_AFTER_IDLE_SECONDS,
    pool: PoolLimits | None = None,
) -> AsyncEngine:
    """An engine for ``url``; no connection is opened until first use.

    ``pooled=False`` is for one-shot work such as migrations, which should leave no
    connection behind. For a SQLite file, its directory is created if missing. A pooled
    PostgreSQL connection idle for ``ping_after_idle`` seconds is checked before use and
    replaced if the server has closed it.
    """
    parsed = make_url(url)
    # JSON columns follow msgspec's rules, the ones NewEvent.data is promised. A failed
    # statement's parameters are customers' phone numbers and emails, among others: its
    # error (and so the log of it) names the statement but never shows them.
    options: dict[str, Any] = {
        "json_serializer": _encode_json,
        "json_deserializer": _decode_json,
        "hide_parameters": True,
    }
    if not pooled:
        options["poolclass"] = NullPool
    if parsed.get_backend_name() == "sqlite":
        _ensure_sqlite_directory(parsed)
        engine = create_async_engine(parsed, **options)
        event.listen(engine.sync_engine, "connect", _prepare_sqlite_connection)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
        if pooled:
            meter_engine(engine)
        return engine
    options["connect_args"] = {"timeout": _PG_CONNECT_TIMEOUT}
    if not pooled:
        return create_async_engine(parsed, **options)
    limits = pool or PoolLimits()
    options |= {
        "pool_size": limits.size,
        "max_overflow": limits.size,
        "pool_timeout": limits.timeout_seconds,
        "pool_recycle": 1800,
    }
    engine = create_async_engine(parsed, poolclass=MeteredQueuePool, **options)
    _ping_idle_connections(engine, ping_after_idle)
    meter_engine(engine)  # after the ping: a checkout that fails it is not counted
    return engine


def _ping_idle_connections(engine: AsyncEngine, idle_seconds: float) -> None:
    """SQLAlchemy's documented custom pessimistic disconnect handling: a checkout whose
    connection fails its ping raises DisconnectionError, and the pool retries with a new
    connection. Connections made or back in the pool within ``idle_seconds`` skip it."""
    driver_error = engine.dialect.loaded_dbapi.Error

    def ping_if_idle(
        dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
    ) -> None:
        returned = record.info.get(_RETURNED_AT)
        if returned is not None and time.monotonic() - returned < idle_seconds:
            return
        try:
            dbapi_connection.ping()
        except driver_error as error:
            raise DisconnectionError(str(error)) from error

    def note_time(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    event.listen(engine.sync_engine, "connect", note_time)  # a new connection is alive
    event.listen(engine.sync_engine, "checkout", ping_if_idle)
    event.listen(engine.sync_engine, "checkin", note_time)


def _ensure_sqlite_directory(url: URL) -> None:
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _prepare_sqlite_connection(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()
    # Left to itself the driver BEGINs only before the first INSERT, UPDATE or DELETE,
    # so a unit's earlier reads run outside its transaction and it may act on what has
    # since changed (two units both see a shift open and both close it). Take the
    # driver out of transaction control and let _begin_immediate start every
    # transaction: SQLAlchemy's documented recipe. Savepoints then nest properly too.
    dbapi_connection.isolation_level = None


def _begin_immediate(connection: Connection) -> None:
    """Start every transaction holding the write lock, waiting up to busy_timeout for it.

    Units of work then run one at a time, as in-memory ones do, and what a unit read
    stays true until it ends. A plain (DEFERRED) BEGIN would not do: a transaction that
    has read cannot take the write lock once another has committed a write, and SQLite
    fails it at once with 'database is locked' rather than waiting.
    """
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _encode_json(value: object) -> str:
    return msgspec.json.encode(value).decode()


def _decode_json(text: str | bytes) -> Any:
    return msgspec.json.decode(text)
