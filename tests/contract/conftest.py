"""One contract suite, three backends: every test runs on memory, SQLite and PostgreSQL.

The SQL databases are migrated once per session and emptied before each test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from fusionx.adapters.events.in_process_hub import InProcessEventHub
from fusionx.adapters.memory.unit_of_work import InMemoryUnitOfWorkFactory
from fusionx.adapters.sql.database import SqlDatabase
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support import databases
from tests.support.databases import BACKENDS, MigratedDatabase, emptied_units, named_backend

# Session fixtures: the SQL backends, migrated once per run.
sqlite_database = databases.sqlite_database
postgres_database = databases.postgres_database


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> MigratedDatabase | None:
    return named_backend(request)


@pytest.fixture
async def uow_factory(backend: MigratedDatabase | None) -> UnitOfWorkFactory:
    return await emptied_units(backend)


@pytest.fixture
def reader_factory(
    backend: MigratedDatabase | None, uow_factory: UnitOfWorkFactory
) -> UnitOfWorkFactory:
    """Reading units of work over the same store as ``uow_factory``'s."""
    if isinstance(uow_factory, InMemoryUnitOfWorkFactory):
        return uow_factory.reader
    assert backend is not None
    return backend.database.reader


@pytest.fixture(params=["unit of work", "reading unit"])
def read_with(
    request: pytest.FixtureRequest,
    uow_factory: UnitOfWorkFactory,
    reader_factory: UnitOfWorkFactory,
) -> UnitOfWorkFactory:
    """Either kind of unit, for reads that both serve: on PostgreSQL a reading unit sends
    the hottest ones straight to asyncpg, and must read exactly what the session reads."""
    return uow_factory if request.param == "unit of work" else reader_factory


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
