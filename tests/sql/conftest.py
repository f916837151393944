from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support import databases
from tests.support.databases import SQL_BACKENDS, MigratedDatabase, named_sql_backend
from tests.support.postgres import scratch_database

# Session fixtures: every test here runs on a migrated SQL database.
sqlite_database = databases.sqlite_database
postgres_database = databases.postgres_database


@pytest.fixture(params=SQL_BACKENDS)
async def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of a database with nothing in it, thrown away after the test."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}"
    else:
        async with scratch_database("fusionx_scratch") as url:
            yield url


@pytest.fixture
async def postgres(postgres_database: MigratedDatabase) -> MigratedDatabase:
    """The run's PostgreSQL database, emptied for this test."""
    await postgres_database.empty()
    return postgres_database


@pytest.fixture(params=SQL_BACKENDS)
def racing_backend(request: pytest.FixtureRequest) -> MigratedDatabase:
    return named_sql_backend(request)


@pytest.fixture
async def racing_database(racing_backend: MigratedDatabase) -> MigratedDatabase:
    """A migrated, emptied database on which concurrent units of work really overlap."""
    await racing_backend.empty()
    return racing_backend
