"""What a SQL reading unit of work saves, and what it refuses."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from fusionx.core.model.tickets import TicketState
from fusionx.ports.errors import ReadOnlyUnitOfWork
from fusionx.ports.unit_of_work import UnitOfWork
from tests.support.databases import MigratedDatabase
from tests.support.entities import a_move, a_truck, new_id
from tests.support.scenes import a_new_ticket

_IDLE_IN_TRANSACTION = text(
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE datname = current_database() AND state = 'idle in transaction'"
)


async def test_a_write_is_refused_before_it_reaches_the_database(
    racing_database: MigratedDatabase,
) -> None:
    truck = a_truck()
    async with racing_database.database.reader() as reader:
        with pytest.raises(ReadOnlyUnitOfWork):
            await reader.trucks.add(truck)

    async with racing_database.database.unit_of_work() as uow:
        assert await uow.trucks.get(truck.id) is None


async def test_a_write_hidden_in_a_cte_is_refused_too(racing_database: MigratedDatabase) -> None:
    # On PostgreSQL a guarded move and its history row are one WITH ... UPDATE statement.
    database = racing_database.database
    ticket = await a_new_ticket(database.unit_of_work)
    move = a_move(ticket)

    async with database.reader() as reader:
        with pytest.raises(ReadOnlyUnitOfWork):
            await reader.tickets.save_move(move)

    async with database.unit_of_work() as uow:
        kept = await uow.tickets.get(ticket.id)
    assert kept is not None
    assert kept.state is TicketState.NEW


@pytest.mark.postgres
async def test_a_postgres_reader_opens_no_transaction(postgres: MigratedDatabase) -> None:
    async def transactions_left_open_by(unit: UnitOfWork) -> int:
        async with unit:
            await unit.trucks.get(new_id())
            async with postgres.engine.connect() as observer:
                return int(await observer.scalar(_IDLE_IN_TRANSACTION) or 0)

    # A writing unit sits in its transaction between statements; a reader has none.
    assert await transactions_left_open_by(postgres.database.unit_of_work()) == 1
    assert await transactions_left_open_by(postgres.database.reader()) == 0
