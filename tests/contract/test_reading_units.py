"""Reading units of work: what use cases that only read run in (``Adapters.reader``)."""

from __future__ import annotations

import contextlib

import pytest

from fusionx.ports.errors import ReadOnlyUnitOfWork
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import a_truck


async def test_a_reader_sees_what_was_committed(
    uow_factory: UnitOfWorkFactory, reader_factory: UnitOfWorkFactory
) -> None:
    truck = a_truck()
    async with uow_factory() as uow:
        await uow.trucks.add(truck)
        await uow.commit()

    async with reader_factory() as reader:
        assert await reader.trucks.get(truck.id) == truck
        assert await reader.trucks.get(a_truck().id) is None


async def test_a_reader_refuses_to_commit_and_keeps_nothing_it_wrote(
    uow_factory: UnitOfWorkFactory, reader_factory: UnitOfWorkFactory
) -> None:
    truck = a_truck()
    async with reader_factory() as reader:
        # The SQL readers refuse the write itself; the in-memory one only its commit.
        with contextlib.suppress(ReadOnlyUnitOfWork):
            await reader.trucks.add(truck)
        with pytest.raises(ReadOnlyUnitOfWork):
            await reader.commit()

    async with uow_factory() as uow:
        assert await uow.trucks.get(truck.id) is None


async def test_a_reader_may_be_used_again(
    uow_factory: UnitOfWorkFactory, reader_factory: UnitOfWorkFactory
) -> None:
    reader, truck = reader_factory(), a_truck()
    async with reader:
        assert await reader.trucks.get(truck.id) is None
    async with uow_factory() as uow:
        await uow.trucks.add(truck)
        await uow.commit()

    async with reader:
        assert await reader.trucks.get(truck.id) == truck
