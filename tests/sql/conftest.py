from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.databases import MigratedDatabase, migrated, migrated_postgres
from tests.support.postgres import scratch_database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of a database with nothing in it, thrown away after the test."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}"
    else:
        async with scratch_database("fusionx_scratch") as url:
            yield url


@pytest.fixture(scope="session")
async def sqlite_file_database(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[MigratedDatabase]:
    path = tmp_path_factory.mktemp("races") / "fusionx.db"
    async with migrated(f"sqlite+aiosqlite:///{path}") as database:
        yield database


@pytest.fixture(scope="session")
async def postgres_database() -> AsyncIterator[MigratedDatabase]:
    async with migrated_postgres() as database:
        yield database


@pytest.fixture
async def postgres(postgres_database: MigratedDatabase) -> MigratedDatabase:
    """The module's PostgreSQL database, emptied for this test."""
    await postgres_database.empty()
    return postgres_database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def racing_backend(request: pytest.FixtureRequest) -> MigratedDatabase:
    # Looked up by name so that a run without PostgreSQL never touches its fixture.
    name = "sqlite_file_database" if request.param == "sqlite" else "postgres_database"
    database: MigratedDatabase = request.getfixturevalue(name)
    return database


@pytest.fixture
async def racing_database(racing_backend: MigratedDatabase) -> MigratedDatabase:
    """A migrated, emptied database on which concurrent units of work really overlap."""
    await racing_backend.empty()
    return racing_backend
