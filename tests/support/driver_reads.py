"""Seeing, and changing, the reads the app sends straight to asyncpg (``driver_pool.py``).

SQLAlchemy's engine events see every statement but those: the tests that count a
request's statements or fail them at a chosen step watch these through here too. Only
the app's ``DriverPool`` hands out pooled asyncpg connections (SQLAlchemy opens its own),
so the pool's connection proxy is where they pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from asyncpg.pool import PoolConnectionProxy
from sqlalchemy import event
from sqlalchemy.engine import Engine

_READS = ("fetch", "fetchrow", "fetchval")

# Given the connection's database and the statement, the statement to send instead.
Hook = Callable[[str, str], str]


@contextmanager
def driver_reads(hook: Hook) -> Iterator[None]:
    """Inside the block, every driver read's SQL goes through ``hook`` first."""
    originals = {name: getattr(PoolConnectionProxy, name) for name in _READS}
    for name, original in originals.items():
        setattr(PoolConnectionProxy, name, _through(hook, original))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(PoolConnectionProxy, name, original)


def _through(hook: Hook, original: Any) -> Any:
    async def read(proxy: PoolConnectionProxy, query: str, *args: Any, **options: Any) -> Any:
        database = proxy._con._params.database if proxy._con is not None else ""
        sent = hook(database, query)
        if sent != query:
            return await original(proxy, sent)
        return await original(proxy, query, *args, **options)

    return read


@contextmanager
def every_statement() -> Iterator[list[str]]:
    """Each SQL statement any engine runs meanwhile, or any driver read, in the order
    sent, its whitespace folded."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    def record_driver_read(_database: str, statement: str) -> str:
        record(None, None, statement)
        return statement

    event.listen(Engine, "before_cursor_execute", record)
    try:
        with driver_reads(record_driver_read):
            yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)
