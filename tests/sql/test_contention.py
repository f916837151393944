"""When PostgreSQL breaks a deadlock it aborts one transaction: that unit must fail as a
retryable port error, its writes undone, while the other unit carries on and commits."""

from __future__ import annotations

import asyncio

import msgspec
import pytest

from fusionx.core.model.shifts import Shift
from fusionx.ports.errors import StorageBusy
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.databases import MigratedDatabase
from tests.support.entities import a_location, a_shift, a_truck

pytestmark = pytest.mark.postgres


async def _two_shifts(uow_factory: UnitOfWorkFactory) -> tuple[Shift, Shift]:
    location = a_location()
    first_truck, second_truck = a_truck("First"), a_truck("Second")
    first, second = a_shift(first_truck.id, location.id), a_shift(second_truck.id, location.id)
    async with uow_factory() as uow:
        await uow.locations.add(location)
        for truck in (first_truck, second_truck):
            await uow.trucks.add(truck)
        for shift in (first, second):
            await uow.shifts.add(shift)
        await uow.commit()
    return first, second


async def test_the_loser_of_a_deadlock_gets_storage_busy_and_the_winner_commits(
    postgres: MigratedDatabase,
) -> None:
    uow_factory = postgres.database.unit_of_work
    first, second = await _two_shifts(uow_factory)
    both_hold_one = asyncio.Barrier(2)

    async def lock_in_order(one: Shift, other: Shift) -> str:
        async with uow_factory() as uow:
            await uow.shifts.get_for_update(one.id)
            await both_hold_one.wait()
            await uow.shifts.get_for_update(other.id)  # each waits on the other
            await uow.shifts.update(msgspec.structs.replace(one, closed_at=one.opened_at))
            await uow.commit()
        return "committed"

    async def outcome(one: Shift, other: Shift) -> str:
        try:
            return await lock_in_order(one, other)
        except StorageBusy:
            return "busy"

    async with asyncio.timeout(30):
        results = await asyncio.gather(outcome(first, second), outcome(second, first))

    assert sorted(results) == ["busy", "committed"]
    # The loser's write was undone; the winner's is there.
    async with uow_factory() as uow:
        kept = [await uow.shifts.get(shift.id) for shift in (first, second)]
    assert sum(1 for shift in kept if shift and shift.closed_at is not None) == 1
