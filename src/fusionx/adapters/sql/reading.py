"""Units of work for use cases that only read: on PostgreSQL, without BEGIN and ROLLBACK.

At READ COMMITTED, PostgreSQL's level, every statement of a transaction sees its own
snapshot anyway, so a unit that only reads sees the same thing in autocommit and saves
the two round trips around its reads. Authentication, which every request runs, and the
kitchen feed are such units. Autocommit would also keep a write at once, so a reading
unit refuses any write before it is sent, and refuses ``commit``.
"""

from __future__ import annotations

import re
from typing import NoReturn

from sqlalchemy import event
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.ext.asyncio import AsyncEngine

from fusionx.adapters.sql.unit_of_work import SqlUnitOfWork
from fusionx.ports.errors import ReadOnlyUnitOfWork

_WRITES = ("insert", "update", "delete", "merge")
# A data-modifying CTE: WITH ... INSERT/UPDATE/DELETE (a reader has no use for FOR UPDATE).
_WRITING_CTE = re.compile(r"\b(insert|update|delete|merge)\b", re.IGNORECASE)


def reading_engine(engine: AsyncEngine) -> AsyncEngine:
    """``engine``'s pool, refusing writes; in autocommit on PostgreSQL.

    SQLite keeps its transactions (``BEGIN IMMEDIATE``): they cost no round trip there.
    """
    options = {} if engine.dialect.name == "sqlite" else {"isolation_level": "AUTOCOMMIT"}
    reading = engine.execution_options(**options)
    # On the copy only: the writing engine's statements pay nothing for this check.
    event.listen(reading.sync_engine, "before_cursor_execute", _refuse_writes)
    return reading


def _refuse_writes(
    _connection: object,
    _cursor: object,
    statement: str,
    _parameters: object,
    context: DefaultExecutionContext | None,
    _executemany: bool,
) -> None:
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        _refuse("write")
    head = statement.lstrip()[:6].lower()
    if head.startswith(_WRITES):  # text() and driver SQL
        _refuse("write")
    if head.startswith("with") and _WRITING_CTE.search(statement):
        _refuse("write")


def _refuse(what: str) -> NoReturn:
    raise ReadOnlyUnitOfWork(f"a reading unit of work may not {what}")


class SqlReadingUnitOfWork(SqlUnitOfWork):
    """``UnitOfWork`` for a use case that only reads, on sessions of ``reading_engine``.

    Its reads behave as in a ``SqlUnitOfWork``; a write raises ``ReadOnlyUnitOfWork``
    before it reaches the database, and so does ``commit``.
    """

    async def commit(self) -> None:
        _refuse("commit")
