from __future__ import annotations

import asyncio

import pytest

from fusionx.core.model.trucks import Truck
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import a_truck

# Well under SQLite's busy_timeout: a unit that waits on another which waits on it
# fails here rather than hanging the run.
_DEADLOCK_SECONDS = 3


class _Boom(Exception):
    pass


async def test_a_write_is_invisible_to_others_until_commit(uow_factory: UnitOfWorkFactory) -> None:
    # A unit running meanwhile either reads the state before the writer's (PostgreSQL)
    # or waits for the writer to finish (SQLite and memory run units one at a time). In
    # neither may it see a write that is then rolled back, or miss one once committed.
    dropped, kept = a_truck("Dropped"), a_truck("Kept")

    async def read(truck: Truck) -> Truck | None:
        async with uow_factory() as reader:
            return await reader.trucks.get(truck.id)

    async with asyncio.timeout(_DEADLOCK_SECONDS):
        async with uow_factory() as writer:
            await writer.trucks.add(dropped)
            assert await writer.trucks.get(dropped.id) == dropped
            during = asyncio.create_task(read(dropped))
            await asyncio.sleep(0.05)
        assert await during is None

        async with uow_factory() as writer:
            await writer.trucks.add(kept)
            await writer.commit()
        assert await read(kept) == kept


async def test_leaving_without_commit_discards_the_writes(uow_factory: UnitOfWorkFactory) -> None:
    truck = a_truck()
    async with uow_factory() as uow:
        await uow.trucks.add(truck)

    async with uow_factory() as uow:
        assert await uow.trucks.get(truck.id) is None


async def test_an_error_in_the_block_discards_the_writes(uow_factory: UnitOfWorkFactory) -> None:
    truck = a_truck()

    async def fail_midway() -> None:
        async with uow_factory() as uow:
            await uow.trucks.add(truck)
            raise _Boom

    with pytest.raises(_Boom):
        await fail_midway()

    async with uow_factory() as uow:
        assert await uow.trucks.get(truck.id) is None


async def test_rollback_discards_only_what_was_not_committed(
    uow_factory: UnitOfWorkFactory,
) -> None:
    kept, dropped, late = a_truck("Kept"), a_truck("Dropped"), a_truck("Late")
    async with uow_factory() as uow:
        await uow.trucks.add(kept)
        await uow.commit()
        await uow.trucks.add(dropped)
        await uow.rollback()
        await uow.trucks.add(late)  # written after the last commit: discarded on exit

    async with uow_factory() as uow:
        assert await uow.trucks.list_all() == [kept]
