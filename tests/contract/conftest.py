"""One contract suite, three backends: every test runs on memory, SQLite and PostgreSQL.

The SQL databases are migrated once per session and emptied before each test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from fusionx.adapters.events.in_process_hub import InProcessEventHub
from fusionx.adapters.memory.unit_of_work import InMemoryUnitOfWorkFactory
from fusionx.adapters.sql.database import SqlDatabase
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.databases import MigratedDatabase, migrated, migrated_postgres


@pytest.fixture(scope="session")
async def sqlite_database(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[MigratedDatabase]:
    path: Path = tmp_path_factory.mktemp("contract") / "fusionx.db"
    async with migrated(f"sqlite+aiosqlite:///{path}") as database:
        yield database


@pytest.fixture(scope="session")
async def postgres_database() -> AsyncIterator[MigratedDatabase]:
    async with migrated_postgres() as database:
        yield database


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> MigratedDatabase | None:
    # Looked up by name so that a run without PostgreSQL never touches its fixture.
    if request.param == "memory":
        return None
    database: MigratedDatabase = request.getfixturevalue(f"{request.param}_database")
    return database


@pytest.fixture
async def uow_factory(backend: MigratedDatabase | None) -> UnitOfWorkFactory:
    if backend is None:
        return InMemoryUnitOfWorkFactory()
    await backend.empty()
    return backend.database.unit_of_work


@pytest.fixture
def reader_factory(
    backend: MigratedDatabase | None, uow_factory: UnitOfWorkFactory
) -> UnitOfWorkFactory:
    """Reading units of work over the same store as ``uow_factory``'s."""
    if isinstance(uow_factory, InMemoryUnitOfWorkFactory):
        return uow_factory.reader
    assert backend is not None
    return backend.database.reader


@pytest.fixture
def hub() -> InProcessEventHub:
    return InProcessEventHub()


@pytest.fixture
async def uow_factory_with_bus(
    backend: MigratedDatabase | None, hub: InProcessEventHub
) -> AsyncIterator[UnitOfWorkFactory]:
    """Units of work that hand committed events to ``hub``."""
    if backend is None:
        yield InMemoryUnitOfWorkFactory(bus=hub)
        return
    await backend.empty()
    database = SqlDatabase(backend.url, bus=hub)
    try:
        yield database.unit_of_work
    finally:
        await database.dispose()
