"""The revisions readiness knows without alembic are alembic's own, and read the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from fusionx.adapters.sql.engine import build_engine
from fusionx.adapters.sql.migrations.revisions import (
    HEAD_REVISION,
    KNOWN_REVISIONS,
    current_revision,
    is_known,
)
from fusionx.adapters.sql.migrations.runner import alembic_config, head_revision, upgrade


def _alembic_oldest_first() -> tuple[str, ...]:
    scripts = ScriptDirectory.from_config(alembic_config())
    return tuple(script.revision for script in reversed(list(scripts.walk_revisions())))


def test_the_head_constant_is_alembics_head() -> None:
    assert head_revision() == HEAD_REVISION, "a new migration: update revisions.py"


def test_the_known_revisions_are_alembics_history() -> None:
    assert _alembic_oldest_first() == KNOWN_REVISIONS, "a new migration: update revisions.py"


@pytest.mark.parametrize("revision", KNOWN_REVISIONS)
def test_every_migration_is_known(revision: str) -> None:
    assert is_known(revision)


@pytest.mark.parametrize("revision", ["0099_future", "0007", "head", ""])
def test_other_names_are_not_known(revision: str) -> None:
    assert not is_known(revision)


async def test_a_migrated_database_is_at_the_head(empty_database_url: str) -> None:
    await upgrade(empty_database_url)
    engine = build_engine(empty_database_url, pooled=False)
    try:
        assert await current_revision(engine) == HEAD_REVISION
    finally:
        await engine.dispose()


async def test_a_database_never_migrated_has_no_revision(empty_database_url: str) -> None:
    engine = build_engine(empty_database_url, pooled=False)
    try:
        assert await current_revision(engine) is None
    finally:
        await engine.dispose()


async def test_several_revisions_in_the_table_are_an_error(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}", pooled=False)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE alembic_version (version_num TEXT)"))
            await connection.execute(text("INSERT INTO alembic_version VALUES ('a'), ('b')"))
        with pytest.raises(RuntimeError, match="several revisions: a, b"):
            await current_revision(engine)
    finally:
        await engine.dispose()
