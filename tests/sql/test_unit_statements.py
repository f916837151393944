"""A hot statement sent on the unit's own asyncpg connection (``unit_statements.py``) is
one more statement of the unit's transaction: begun for it if it comes first, kept by the
commit, undone by the rollback, and heard by the engine's listeners like any other."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.unit_statements import driver_fetch, driver_fetchrow
from tests.support.databases import MigratedDatabase
from tests.support.driver_reads import every_statement

pytestmark = pytest.mark.postgres

_ADD_TRUCK = "INSERT INTO trucks (id, name, active, created_at) VALUES ($1, $2, true, $3)"
_TRUCKS_NAMED = text("SELECT count(*) FROM trucks WHERE name = :name")
_TRANSACTION = "SELECT txid_current()"


@pytest.fixture
async def session(postgres: MigratedDatabase) -> AsyncIterator[AsyncSession]:
    async with AsyncSession(postgres.engine) as session:
        yield session


async def _trucks_named(postgres: MigratedDatabase, name: str) -> int:
    async with postgres.engine.connect() as observer:
        return int(await observer.scalar(_TRUCKS_NAMED, {"name": name}) or 0)


@pytest.mark.parametrize("first", ["driver", "sqlalchemy"])
async def test_driver_and_sqlalchemy_statements_share_one_transaction(
    session: AsyncSession, first: str
) -> None:
    connection = await session.connection()
    if first == "driver":
        by_driver = (await driver_fetchrow(connection, _TRANSACTION, ()))[0]
        by_sqlalchemy = await connection.scalar(text(_TRANSACTION))
    else:
        by_sqlalchemy = await connection.scalar(text(_TRANSACTION))
        by_driver = (await driver_fetchrow(connection, _TRANSACTION, ()))[0]
    assert by_driver == by_sqlalchemy


@pytest.mark.parametrize("ending", ["rollback", "close"])
async def test_a_driver_write_is_undone_with_the_unit(
    postgres: MigratedDatabase, session: AsyncSession, ending: str
) -> None:
    name = f"undone-{uuid4()}"
    connection = await session.connection()
    # The unit's first statement: were no transaction begun for it, it would last at once.
    await driver_fetch(connection, _ADD_TRUCK, (uuid4(), name, datetime.now(UTC)))
    assert await _trucks_named(postgres, name) == 0  # not committed yet
    await (session.rollback() if ending == "rollback" else session.close())
    assert await _trucks_named(postgres, name) == 0


async def test_a_driver_write_lasts_with_the_commit(
    postgres: MigratedDatabase, session: AsyncSession
) -> None:
    name = f"kept-{uuid4()}"
    connection = await session.connection()
    await driver_fetch(connection, _ADD_TRUCK, (uuid4(), name, datetime.now(UTC)))
    await session.commit()
    assert await _trucks_named(postgres, name) == 1
    # The session's next transaction is begun afresh for the next driver statement.
    other = f"kept-{uuid4()}"
    await driver_fetch(await session.connection(), _ADD_TRUCK, (uuid4(), other, datetime.now(UTC)))
    await session.rollback()
    assert await _trucks_named(postgres, other) == 0


async def test_after_a_failed_driver_statement_the_rollback_leaves_the_session_usable(
    session: AsyncSession,
) -> None:
    connection = await session.connection()
    with pytest.raises(asyncpg.DivisionByZeroError):
        await driver_fetch(connection, "SELECT 1 / $1::integer", (0,))
    await session.rollback()
    assert await driver_fetchrow(await session.connection(), "SELECT $1::integer", (7,)) == (7,)


async def test_the_engine_listeners_hear_a_driver_statement(session: AsyncSession) -> None:
    connection = await session.connection()
    with every_statement() as seen:
        await driver_fetch(connection, "SELECT $1::integer", (1,))
    assert seen == ["SELECT $1::integer"]  # once: heard by the engine, not as a pool read


async def test_a_listener_may_replace_a_driver_statement(session: AsyncSession) -> None:
    # As for any statement SQLAlchemy sends (the outage tests swap one for a disconnect).
    def replace(*args: Any) -> tuple[str, tuple[object, ...]]:
        return "SELECT $1::integer * 10", (args[3][0],)

    event.listen(Engine, "before_cursor_execute", replace, retval=True)
    try:
        row = await driver_fetchrow(await session.connection(), "SELECT $1::integer", (4,))
    finally:
        event.remove(Engine, "before_cursor_execute", replace)
    assert row == (40,)


@pytest.mark.parametrize("outcome", ["done", "failed"])
async def test_what_a_listener_opens_for_a_driver_statement_it_closes_after(
    session: AsyncSession, outcome: str
) -> None:
    # A tracer opens a span on the execution context before, and ends it after.
    opened: list[object] = []
    closed: list[object] = []

    def before(_conn: Any, _cursor: Any, _statement: str, _p: Any, context: Any, _m: bool) -> None:
        context.span = object()
        opened.append(context.span)

    def after(_conn: Any, _cursor: Any, _statement: str, _p: Any, context: Any, _m: bool) -> None:
        closed.append(context.span)

    event.listen(Engine, "before_cursor_execute", before)
    event.listen(Engine, "after_cursor_execute", after)
    sql = "SELECT 1 / $1::integer"
    try:
        if outcome == "done":
            await driver_fetch(await session.connection(), sql, (1,))
        else:
            with pytest.raises(asyncpg.DivisionByZeroError):
                await driver_fetch(await session.connection(), sql, (0,))
    finally:
        event.remove(Engine, "after_cursor_execute", after)
        event.remove(Engine, "before_cursor_execute", before)
    assert len(opened) == 1
    assert closed == opened
