"""The database dropping out in the middle of a request, at a chosen step.

A step is one thing the app asks of the database: a statement, or a COMMIT. From the
chosen step on, until the outage ends, every one of them fails as a lost connection
does. On PostgreSQL the statement is swapped for one that has the server terminate the
connection it arrives on, for real; SQLite has no connection to lose, so there the step
raises the error a dropped connection raises. A COMMIT fails before it is sent.
``after_last_commit`` loses the connection just after a COMMIT went through instead: the
database kept the transaction but the app never heard so. The reads that reading units
send straight to asyncpg (``driver_pool.py``) are steps too, failed the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session

from tests.support.driver_reads import driver_reads

_TERMINATE = "SELECT pg_terminate_backend(pg_backend_pid())"


class Outage:
    """Watches the database at ``url`` (every engine on it), counting steps."""

    def __init__(self, url: str) -> None:
        self._database = make_url(url).database
        self.steps: list[str] = []
        self._fail_from: int | None = None
        self._after_commit = False

    @contextmanager
    def watching(self) -> Iterator[Outage]:
        event.listen(Engine, "before_cursor_execute", self._statement, retval=True)
        event.listen(Engine, "commit", self._commit)
        event.listen(Session, "after_commit", self._committed)
        try:
            with driver_reads(self._driver_read):
                yield self
        finally:
            event.remove(Session, "after_commit", self._committed)
            event.remove(Engine, "commit", self._commit)
            event.remove(Engine, "before_cursor_execute", self._statement)

    @contextmanager
    def counting(self) -> Iterator[list[str]]:
        """Record the steps taken inside the block, failing none."""
        self.steps = []
        yield self.steps

    @contextmanager
    def from_step(self, step: int) -> Iterator[None]:
        """Inside the block, fail the ``step``-th step (from 0) and every later one."""
        self.steps, self._fail_from = [], step
        try:
            yield
        finally:
            self._fail_from = None

    @contextmanager
    def after_last_commit(self) -> Iterator[None]:
        """Inside the block, lose the connection as soon as a session's COMMIT is done."""
        self.steps, self._after_commit = [], True
        try:
            yield
        finally:
            self._after_commit, self._fail_from = False, None

    def _ours(self, connection: Connection) -> bool:
        return connection.engine.url.database == self._database

    def _failing(self, what: str) -> bool:
        self.steps.append(what)
        return self._fail_from is not None and len(self.steps) > self._fail_from

    def _statement(
        self,
        connection: Connection,
        _cursor: Any,
        statement: str,
        parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> tuple[str, Any]:
        if not self._ours(connection) or not self._failing(statement.split(None, 1)[0]):
            return statement, parameters
        if connection.dialect.name == "postgresql":
            return _TERMINATE, ()
        raise ConnectionResetError("the database connection was lost (a test's outage)")

    def _driver_read(self, database: str, query: str) -> str:
        if database == self._database and self._failing(query.split(None, 1)[0]):
            return _TERMINATE
        return query

    def _commit(self, connection: Connection) -> None:
        if self._ours(connection) and self._failing("COMMIT"):
            raise ConnectionResetError("the database connection was lost (a test's outage)")

    def _committed(self, session: Session) -> None:
        bind = session.get_bind()
        if self._after_commit and bind.url.database == self._database:
            self._after_commit = False
            self._fail_from = 0  # and it stays lost
            raise ConnectionResetError("the connection was lost before COMMIT was acknowledged")
