"""The hot statements of a unit of work on PostgreSQL, sent on the unit's own asyncpg
connection rather than through SQLAlchemy's execution path.

An order's and a kitchen transition's statements are raw SQL in asyncpg's paramstyle
already; through ``AsyncConnection.exec_driver_sql`` each still paid for a greenlet, a
DBAPI cursor and a result wrapper (docs/benchmarks.md, seventh pass). Here the statement
goes straight to the asyncpg connection SQLAlchemy holds for the unit, inside the
transaction SQLAlchemy began (or begins now, as its own cursor would), so it commits and
rolls back with every other statement of the unit. The engine's ``before_cursor_execute``
listeners still hear each statement: a reading unit still refuses a write before it is
sent (``reading.py``).

The transaction is begun by the asyncpg adaptor's ``_start_transaction``, the step
SQLAlchemy's own cursor takes before a statement; ``tests/sql/test_unit_statements.py``
holds this module to the unit's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

from sqlalchemy.ext.asyncio import AsyncConnection

# asyncpg's ``Record``: indexed and unpacked like a tuple; asyncpg has no types.
Record: TypeAlias = Any
_ONE_PARAMETER_SET = False  # the listeners' ``executemany``


async def driver_fetch(
    connection: AsyncConnection, sql: str, parameters: Sequence[object]
) -> list[Record]:
    """The rows of ``sql`` with ``parameters``, in ``connection``'s transaction."""
    sync = connection.sync_connection
    if sync is not None:
        # What exec_driver_sql tells the engine's listeners (no cursor, no context).
        listeners = sync.dispatch.before_cursor_execute
        if listeners:
            listeners(sync, None, sql, parameters, None, _ONE_PARAMETER_SET)
    raw = await connection.get_raw_connection()
    adapted: Any = raw.dbapi_connection
    if adapted._transaction is None:
        await adapted._start_transaction()
    driver: Any = raw.driver_connection
    rows: list[Record] = await driver.fetch(sql, *parameters)
    return rows


async def driver_fetchrow(
    connection: AsyncConnection, sql: str, parameters: Sequence[object]
) -> Record | None:
    """The first row of ``sql``, or None."""
    rows = await driver_fetch(connection, sql, parameters)
    return rows[0] if rows else None
