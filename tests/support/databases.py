"""Migrated databases for the SQL tests, and a cheap way to empty them between tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from fusionx.adapters.sql.database import SqlDatabase
from fusionx.adapters.sql.engine import build_engine
from fusionx.adapters.sql.migrations.runner import upgrade_to_head
from fusionx.adapters.sql.tables import SqlBase
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
                for table in reversed(tables):
                    await connection.execute(delete(table))


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
