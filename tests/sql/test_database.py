"""SqlDatabase as the app sees it: readiness lines, connection settings, errors at the door."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from fusionx.adapters.sql.database import SqlDatabase
from fusionx.adapters.sql.engine import build_engine
from fusionx.adapters.sql.migrations.runner import head_revision, upgrade, upgrade_to_head
from fusionx.ports.errors import StorageUnavailable

CLOSED_PORT_URL = "postgresql+asyncpg://postgres@127.0.0.1:1/fusionx"


async def test_a_migrated_database_is_ready(empty_database_url: str) -> None:
    await upgrade(empty_database_url)
    database = SqlDatabase(empty_database_url)
    try:
        assert await database.problems() == []
    finally:
        await database.dispose()


async def test_an_unmigrated_database_names_the_schema_problem(empty_database_url: str) -> None:
    database = SqlDatabase(empty_database_url)
    try:
        problems = await database.problems()
    finally:
        await database.dispose()

    assert problems == [
        f"database schema is empty, code expects {head_revision()} (run `fusionx db upgrade`)"
    ]


async def test_a_schema_from_a_newer_release_is_named(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}"
    upgrade_to_head(url)
    engine = build_engine(url, pooled=False)
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    await engine.dispose()

    database = SqlDatabase(url)
    try:
        problems = await database.problems()
    finally:
        await database.dispose()

    assert len(problems) == 1
    assert problems[0].startswith("database schema at 0099_future, unknown to this code")


async def test_an_unreachable_database_is_reported_not_raised() -> None:
    database = SqlDatabase(CLOSED_PORT_URL)
    try:
        problems = await database.problems()
    finally:
        await database.dispose()

    assert len(problems) == 1
    assert problems[0].startswith("database unreachable: ")


async def test_a_unit_of_work_on_an_unreachable_database_raises_storage_unavailable() -> None:
    database = SqlDatabase(CLOSED_PORT_URL)
    try:
        with pytest.raises(StorageUnavailable, match=r"^database unreachable: "):
            async with database.unit_of_work():
                pass
    finally:
        await database.dispose()


async def test_building_does_no_io_beyond_making_the_sqlite_directory(tmp_path: Path) -> None:
    path = tmp_path / "data" / "nested" / "fusionx.db"
    database = SqlDatabase(f"sqlite+aiosqlite:///{path}")
    try:
        assert path.parent.is_dir()
        assert not path.exists()
    finally:
        await database.dispose()


async def test_sqlite_connections_get_the_pragmas(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}")
    try:
        async with engine.connect() as connection:
            values = [
                (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar_one()
                for name in ("foreign_keys", "journal_mode", "busy_timeout", "synchronous")
            ]
    finally:
        await engine.dispose()

    assert values == [1, "wal", 5000, 1]
