"""The hot statements of a unit of work on PostgreSQL, sent on the unit's own asyncpg
connection rather than through SQLAlchemy's execution path.

An order's and a kitchen transition's statements are raw SQL in asyncpg's paramstyle
already; through ``AsyncConnection.exec_driver_sql`` each still paid for a greenlet, a
DBAPI cursor and a result wrapper (docs/benchmarks.md, seventh pass). Here the statement
goes straight to the asyncpg connection SQLAlchemy holds for the unit, inside the
transaction SQLAlchemy began (or begins now, as its own cursor would), so it commits and
rolls back with every other statement of the unit. The engine's cursor listeners hear
each statement before and after, and may replace it, as they do any other: a reading
unit still refuses a write before it is sent (``reading.py``), a tracer still traces it.

The transaction is begun by the asyncpg adaptor's ``_start_transaction``, the step
SQLAlchemy's own cursor takes before a statement; ``tests/sql/test_unit_statements.py``
holds this module to the unit's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, TypeAlias

from sqlalchemy.engine import Connection
from sqlalchemy.engine.interfaces import CacheStats
from sqlalchemy.ext.asyncio import AsyncConnection

# asyncpg's ``Record``: indexed and unpacked like a tuple; asyncpg has no types.
Record: TypeAlias = Any
_ONE_PARAMETER_SET = False  # the listeners' ``executemany``


class _DriverExecution:
    """What the engine's listeners are given for SQLAlchemy's execution context: what
    ``exec_driver_sql``'s context says of a textual statement (not compiled, so not from
    the cache; no ORM insert, update or delete), and room for what a listener keeps on
    it until the statement is done (a tracer keeps its span)."""

    isinsert = isupdate = isdelete = is_crud = isddl = False
    is_text = True
    compiled = None
    invoked_statement = None
    cache_hit = CacheStats.NO_CACHE_KEY
    execution_options: Mapping[str, Any] = MappingProxyType({})

    def __init__(self, connection: Connection) -> None:
        self.root_connection = connection
        self.dialect = connection.dialect


async def driver_fetch(
    connection: AsyncConnection, sql: str, parameters: Sequence[object]
) -> list[Record]:
    """The rows of ``sql`` with ``parameters``, in ``connection``'s transaction."""
    sync = connection.sync_connection
    context = None if sync is None else _DriverExecution(sync)
    if sync is not None:
        # As SQLAlchemy's own cursor execution does (no cursor here): each listener may
        # replace the statement and its parameters (one registered without ``retval`` is
        # wrapped by SQLAlchemy to hand them on unchanged).
        for listener in sync.dispatch.before_cursor_execute:
            sql, parameters = listener(sync, None, sql, parameters, context, _ONE_PARAMETER_SET)
    raw = await connection.get_raw_connection()
    adapted: Any = raw.dbapi_connection
    if adapted._transaction is None:  # the adaptor's own state, read as its cursor reads it
        await adapted._start_transaction()  # the cursor's own first step
    driver: Any = raw.driver_connection
    try:
        rows: list[Record] = await driver.fetch(sql, *parameters)
    finally:
        if sync is not None:
            # Heard on failure too, so that what a listener opened (a tracer's span) is
            # closed; the error itself goes up to the unit, which translates it.
            for listener in sync.dispatch.after_cursor_execute:
                listener(sync, None, sql, parameters, context, _ONE_PARAMETER_SET)
    return rows


async def driver_fetchrow(
    connection: AsyncConnection, sql: str, parameters: Sequence[object]
) -> Record | None:
    """The first row of ``sql``, or None."""
    rows = await driver_fetch(connection, sql, parameters)
    return rows[0] if rows else None
