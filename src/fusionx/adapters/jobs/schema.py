"""procrastinate's tables, functions and types on PostgreSQL, made by ``fusionx db
upgrade`` after our own migrations.

The library owns this schema (its ``schema.sql`` for a new database, its migration
scripts between its versions), so Alembic does not copy it: an upgrade of procrastinate
that changes its schema comes with that version's migrations to apply (docs/operations.md).
An embedded SQLite database has no queue and no such schema.
"""

from __future__ import annotations

from procrastinate import App, PsycopgConnector

from fusionx.adapters.jobs.connection import conninfo

_PRESENT = "SELECT to_regclass('procrastinate_jobs') IS NOT NULL AS present"


async def queue_schema_present(url: str) -> bool:
    async with App(connector=PsycopgConnector(conninfo=conninfo(url))).open_async() as app:
        row = await app.connector.execute_query_one_async(_PRESENT)
    return bool(row["present"])


async def apply_queue_schema(url: str) -> bool:
    """Make the queue's schema unless it is there; whether this call made it."""
    async with App(connector=PsycopgConnector(conninfo=conninfo(url))).open_async() as app:
        row = await app.connector.execute_query_one_async(_PRESENT)
        if row["present"]:
            return False
        await app.schema_manager.apply_schema_async()
    return True
