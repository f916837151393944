"""Building the async engine for either supported database, tuned for each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import Connection, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

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


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def build_engine(url: str | URL, *, pooled: bool = True) -> AsyncEngine:
    """An engine for ``url``; no connection is opened until first use.

    ``pooled=False`` is for one-shot work such as migrations, which should leave no
    connection behind. For a SQLite file, its directory is created if missing.
    """
    parsed = make_url(url)
    # JSON columns follow msgspec's rules, the ones NewEvent.data is promised.
    options: dict[str, Any] = {"json_serializer": _encode_json, "json_deserializer": _decode_json}
    if not pooled:
        options["poolclass"] = NullPool
    if parsed.get_backend_name() == "sqlite":
        _ensure_sqlite_directory(parsed)
        engine = create_async_engine(parsed, **options)
        event.listen(engine.sync_engine, "connect", _prepare_sqlite_connection)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
        return engine
    options["connect_args"] = {"timeout": _PG_CONNECT_TIMEOUT}
    if pooled:
        # pre_ping drops connections the server closed (restart, idle timeout) before use.
        options |= {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 10}
        options |= {"pool_timeout": 10, "pool_recycle": 1800}
    return create_async_engine(parsed, **options)


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
