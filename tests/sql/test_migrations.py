"""The migrations run both ways on both databases, and they build what the tables declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import Connection, inspect

from fusionx.adapters.sql.engine import build_engine
from fusionx.adapters.sql.migrations.comparison import compare_type, included_on
from fusionx.adapters.sql.migrations.revisions import current_revision
from fusionx.adapters.sql.migrations.runner import alembic_config, downgrade, head_revision, upgrade
from fusionx.adapters.sql.tables import SqlBase


def _oldest_first() -> list[Script]:
    return list(reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions())))


async def _revision_and_tables(url: str) -> tuple[str | None, set[str]]:
    engine = build_engine(url, pooled=False)
    try:
        current = await current_revision(engine)
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    return current, tables - {"alembic_version"}


async def test_every_revision_goes_up_down_and_up_again(empty_database_url: str) -> None:
    url = empty_database_url
    for script in _oldest_first():
        await upgrade(url, script.revision)
        previous = script.down_revision
        await downgrade(url, previous if isinstance(previous, str) else "base")
        await upgrade(url, script.revision)
    assert await _revision_and_tables(url) == (head_revision(), set(SqlBase.metadata.tables))

    await downgrade(url, "base")
    assert await _revision_and_tables(url) == (None, set())

    await upgrade(url)
    assert (await _revision_and_tables(url))[0] == head_revision()


async def test_the_migrated_schema_matches_the_tables(empty_database_url: str) -> None:
    await upgrade(empty_database_url)

    def differences(connection: Connection) -> list[object]:
        opts = {
            "compare_type": compare_type,
            "include_object": included_on(connection.dialect.name),
        }
        context = MigrationContext.configure(connection, opts=opts)
        return list(compare_metadata(context, SqlBase.metadata))

    engine = build_engine(empty_database_url, pooled=False)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(differences)
    finally:
        await engine.dispose()

    assert diff == [], "tables.py and the migrations disagree: write a migration"
