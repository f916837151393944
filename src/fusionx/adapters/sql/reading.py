"""Units of work for use cases that only read: on PostgreSQL, without BEGIN and ROLLBACK.

At READ COMMITTED, PostgreSQL's level, every statement of a transaction sees its own
snapshot anyway, so a unit that only reads sees the same thing in autocommit and saves
the two round trips around its reads. Authentication, which every request runs, and the
kitchen feed are such units. Autocommit would also keep a write at once, so a reading
unit refuses any write before it is sent, and refuses ``commit``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property
from types import TracebackType
from typing import Any, NoReturn, Self, cast

from sqlalchemy import event
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from fusionx.adapters.sql.dialects import POSTGRES
from fusionx.adapters.sql.driver_pool import DriverConnection, DriverPool
from fusionx.adapters.sql.repositories.access_tokens import (
    PgDriverAccessTokens,
    SqlAccessTokenRepository,
)
from fusionx.adapters.sql.repositories.tickets import PgDriverTicketReads, SqlTicketRepository
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


class PgReadingUnitOfWork(SqlReadingUnitOfWork):
    """A reading unit on PostgreSQL whose credential read and kitchen feed run on an
    asyncpg connection of the ``DriverPool`` rather than through the session.

    Neither connection is taken until a read needs it: authenticating a request or
    polling a feed takes one driver connection and opens no session; any other read
    opens the session as a ``SqlReadingUnitOfWork`` does. Leaving gives back both.
    """

    def __init__(self, sessions: Callable[[], AsyncSession], driver: DriverPool) -> None:
        super().__init__(sessions, dialect=POSTGRES)
        self._pool = driver
        self._driver: DriverConnection | None = None

    @cached_property
    def tokens(self) -> SqlAccessTokenRepository:
        return PgDriverAccessTokens(self._session_when_needed(), self._driver_connection)

    @cached_property
    def tickets(self) -> SqlTicketRepository:
        return PgDriverTicketReads(self._session_when_needed(), self._driver_connection)

    def _session_when_needed(self) -> AsyncSession:
        # Making a session and closing it unused cost 20 µs a unit; these repositories
        # touch it only in their methods that do not read by driver.
        return cast(AsyncSession, _SessionWhenNeeded(self))

    async def _driver_connection(self) -> DriverConnection:
        if self._driver is None:
            self._driver = await self._pool.acquire()
        return self._driver

    async def __aenter__(self) -> Self:
        # The session connects on its first statement, if any: a unit that only runs
        # driver reads never touches SQLAlchemy's pool. A failure to connect then is
        # translated on leaving, as any other.
        self._forget_pending()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        driver, self._driver = self._driver, None
        try:
            if driver is not None:
                await self._pool.release(driver, cleanly=exc_type is None)
        finally:
            await super().__aexit__(exc_type, exc, tb)


class _SessionWhenNeeded:
    """Stands for a unit's session until something of it is asked for."""

    def __init__(self, unit: SqlUnitOfWork) -> None:
        self._unit = unit

    def __getattr__(self, name: str) -> Any:
        return getattr(self._unit._session, name)
