"""Migrated databases for the SQL tests, and a cheap way to empty them between tests.

The suites that test against SQLite and PostgreSQL import the two session fixtures
below into their ``conftest.py`` and pick one by ``named_backend(request)``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from fusionx.adapters.memory.unit_of_work import InMemoryUnitOfWorkFactory
from fusionx.adapters.sql import append_only
from fusionx.adapters.sql.database import SqlDatabase
from fusionx.adapters.sql.engine import build_engine
from fusionx.adapters.sql.migrations.runner import upgrade_to_head
from fusionx.adapters.sql.tables import SqlBase
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.postgres import scratch_database


@dataclass(frozen=True)
class MigratedDatabase:
    """A database at head, the ``SqlDatabase`` under test, and an engine to tidy it with."""

    url: str
    database: SqlDatabase
    engine: AsyncEngine

    async def empty(self) -> None:
        """Remove every row, keeping the schema and its Alembic revision."""
        tables = SqlBase.metadata.sorted_tables
        async with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                names = ", ".join(f'"{table.name}"' for table in tables)
                await connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            else:
                # The audit trail refuses DELETE (``append_only``): a test's tidying lifts
                # its triggers for the moment, as an administrator would.
                for statement in append_only.drop_statements("sqlite"):
                    await connection.exec_driver_sql(statement)
                for table in reversed(tables):
                    await connection.execute(delete(table))
                for statement in append_only.create_statements("sqlite"):
                    await connection.exec_driver_sql(statement)


@asynccontextmanager
async def migrated(url: str) -> AsyncIterator[MigratedDatabase]:
    """The database at ``url`` migrated to head, as tests see it; disposed on exit."""
    upgrade_to_head(url)
    database = SqlDatabase(url)
    engine = build_engine(url)
    try:
        yield MigratedDatabase(url=url, database=database, engine=engine)
    finally:
        await database.dispose()
        await engine.dispose()


@asynccontextmanager
async def migrated_postgres() -> AsyncIterator[MigratedDatabase]:
    """A fresh PostgreSQL database at head, dropped on exit."""
    async with scratch_database() as url, migrated(url) as database:
        yield database


# Parameters for a fixture that runs each test on every backend, or on the SQL ones.
SQL_BACKENDS: list[Any] = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
BACKENDS: list[Any] = ["memory", *SQL_BACKENDS]


def named_backend(request: pytest.FixtureRequest) -> MigratedDatabase | None:
    """The migrated database ``request.param`` names, ``None`` for memory. Looked up by
    name, so that a run without PostgreSQL never touches its fixture."""
    if request.param == "memory":
        return None
    database: MigratedDatabase = request.getfixturevalue(f"{request.param}_database")
    return database


def named_sql_backend(request: pytest.FixtureRequest) -> MigratedDatabase:
    """As ``named_backend``, for a fixture parametrized over ``SQL_BACKENDS`` only."""
    database = named_backend(request)
    assert database is not None, "not a SQL backend"
    return database


async def emptied_units(backend: MigratedDatabase | None) -> UnitOfWorkFactory:
    """Units of work on ``backend``, emptied first; for memory (``None``), a fresh store."""
    if backend is None:
        return InMemoryUnitOfWorkFactory()
    await backend.empty()
    return backend.database.unit_of_work


@pytest.fixture(scope="session")
async def sqlite_database(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[MigratedDatabase]:
    """A SQLite file at head, for the whole run: a test empties it before use."""
    path = tmp_path_factory.mktemp("sqlite") / "fusionx.db"
    async with migrated(f"sqlite+aiosqlite:///{path}") as database:
        yield database


@pytest.fixture(scope="session")
async def postgres_database() -> AsyncIterator[MigratedDatabase]:
    """A PostgreSQL database at head, for the whole run: a test empties it before use."""
    async with migrated_postgres() as database:
        yield database
