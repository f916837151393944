"""The idempotency store's promises, on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from fusionx.adapters.events.in_process_hub import InProcessEventHub
from fusionx.adapters.memory.idempotency import InMemoryIdempotencyStore
from fusionx.adapters.memory.unit_of_work import InMemoryUnitOfWorkFactory
from fusionx.adapters.sql.database import SqlDatabase
from fusionx.core.model.events import EventType, MenuChanged, NewEvent
from fusionx.ports.errors import ReadOnlyUnitOfWork
from fusionx.ports.idempotency import (
    IdempotencyClaim,
    IdempotencyRecord,
    IdempotencyStore,
    StoredResponse,
)
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.databases import MigratedDatabase
from tests.support.entities import T0, a_truck
from tests.support.feeds import nothing_waiting
from tests.support.scenes import a_shift_scene

DAY, LEASE = timedelta(hours=24), timedelta(seconds=60)
RESPONSE = StoredResponse(
    status=201, headers=(("content-type", "application/json"),), body=b'{"id": 1}'
)


@dataclass(frozen=True)
class Keyed:
    """A store, and the units of work of the same database, telling ``hub`` of events.

    ``readers`` can read while a guarded request runs, except on SQLite, where every
    transaction waits for the one that writes.
    """

    store: IdempotencyStore
    units: UnitOfWorkFactory
    readers: UnitOfWorkFactory | None
    hub: InProcessEventHub


@pytest.fixture
async def keyed(backend: MigratedDatabase | None) -> AsyncIterator[Keyed]:
    hub = InProcessEventHub()
    if backend is None:
        units = InMemoryUnitOfWorkFactory(bus=hub)
        yield Keyed(InMemoryIdempotencyStore(units), units, units.reader, hub)
        return
    await backend.empty()
    database = SqlDatabase(backend.url, bus=hub)
    readers = None if backend.url.startswith("sqlite") else database.reader
    try:
        yield Keyed(database.idempotency_store(), database.unit_of_work, readers, hub)
    finally:
        await database.dispose()


@pytest.fixture
def store(keyed: Keyed) -> IdempotencyStore:
    return keyed.store


async def begin(store: IdempotencyStore, fingerprint: str = "f1", at: timedelta = timedelta()):
    return await store.begin("staff:1", "key-1", fingerprint, T0 + at, ttl=DAY, lease=LEASE)


async def answer(store: IdempotencyStore, claim: IdempotencyClaim) -> bool:
    async with store.guard(claim) as work:
        return await work.settle(RESPONSE)


async def test_the_first_claim_runs_and_later_ones_see_its_record(store: IdempotencyStore) -> None:
    claim = await begin(store)
    assert claim == IdempotencyClaim(caller="staff:1", key="key-1", claimed_at=T0)
    assert await begin(store) == IdempotencyRecord(fingerprint="f1")

    assert await answer(store, claim)

    assert await begin(store, "f2") == IdempotencyRecord(fingerprint="f1", response=RESPONSE)
    other_caller = await store.begin("device:2", "key-1", "f1", T0, ttl=DAY, lease=LEASE)
    assert isinstance(other_caller, IdempotencyClaim)


async def test_a_record_lives_a_day(store: IdempotencyStore) -> None:
    await answer(store, await begin(store))

    assert isinstance(await begin(store, at=DAY - timedelta(seconds=1)), IdempotencyRecord)
    assert isinstance(await begin(store, "f2", at=DAY), IdempotencyClaim)


async def test_an_abandoned_run_is_taken_over_by_the_same_request_only(
    store: IdempotencyStore,
) -> None:
    await begin(store)

    assert await begin(store, "f2", at=LEASE) == IdempotencyRecord(fingerprint="f1")
    assert isinstance(await begin(store, "f1", at=LEASE), IdempotencyClaim)


async def test_a_run_that_lost_its_claim_can_neither_answer_nor_free_the_key(
    store: IdempotencyStore,
) -> None:
    late = await begin(store)
    retry = await begin(store, at=LEASE)
    assert isinstance(late, IdempotencyClaim)
    assert isinstance(retry, IdempotencyClaim)

    assert not await answer(store, late)
    await store.release(late)

    assert await begin(store, at=LEASE) == IdempotencyRecord(fingerprint="f1")  # retry's
    assert await answer(store, retry)
    assert await begin(store, at=LEASE) == IdempotencyRecord(fingerprint="f1", response=RESPONSE)


async def test_a_released_claim_runs_again(store: IdempotencyStore) -> None:
    await store.release(await begin(store))

    claim = await begin(store)
    assert isinstance(claim, IdempotencyClaim)
    await answer(store, claim)
    await store.release(claim)  # a settled record is kept
    assert await begin(store) == IdempotencyRecord(fingerprint="f1", response=RESPONSE)


async def test_purge_drops_expired_records(store: IdempotencyStore) -> None:
    await begin(store)
    await store.begin("staff:1", "key-2", "f", T0 + timedelta(hours=1), ttl=DAY, lease=LEASE)

    assert await store.purge(T0 + DAY) == 1
    assert isinstance(await begin(store, "f9", at=DAY), IdempotencyClaim)
    kept = await store.begin("staff:1", "key-2", "g", T0 + DAY, ttl=DAY, lease=LEASE)
    assert kept == IdempotencyRecord(fingerprint="f")


async def test_of_racing_claims_exactly_one_runs(store: IdempotencyStore) -> None:
    claims = await asyncio.gather(*(begin(store) for _ in range(10)))

    assert sum(isinstance(claim, IdempotencyClaim) for claim in claims) == 1


async def test_guarded_writes_are_seen_by_nobody_else_until_settled_with_the_answer(
    keyed: Keyed,
) -> None:
    scene = await a_shift_scene(keyed.units, items=0)
    truck = a_truck()
    claim = await begin(keyed.store)

    async with keyed.hub.subscribe(scene.shift.id) as feed:
        async with keyed.store.guard(claim) as work:
            async with work.unit_of_work() as uow:
                await uow.trucks.add(truck)
                await uow.events.append(
                    NewEvent(shift_id=scene.shift.id, at=T0, data=MenuChanged(what="item"))
                )
                await uow.commit()
            async with work.reader() as reader:
                assert await reader.trucks.get(truck.id) == truck  # the request sees its own
            if keyed.readers is not None:
                async with keyed.readers() as elsewhere:
                    assert await elsewhere.trucks.get(truck.id) is None
                assert await begin(keyed.store) == IdempotencyRecord(fingerprint="f1")
            assert await nothing_waiting(feed)
            assert await work.settle(RESPONSE)
        async with asyncio.timeout(5):
            event = await feed.next()

    async with keyed.units() as uow:
        assert await uow.trucks.get(truck.id) == truck
    assert await begin(keyed.store) == IdempotencyRecord(fingerprint="f1", response=RESPONSE)
    assert event is not None
    assert event.type is EventType.MENU_CHANGED


async def test_unsettled_guarded_writes_are_not_kept(keyed: Keyed) -> None:
    truck = a_truck()
    claim = await begin(keyed.store)

    async with keyed.store.guard(claim) as work, work.unit_of_work() as uow:
        await uow.trucks.add(truck)
        await uow.commit()

    async with keyed.units() as uow:
        assert await uow.trucks.get(truck.id) is None
    assert await begin(keyed.store) == IdempotencyRecord(fingerprint="f1")  # still running


async def test_a_guarded_unit_left_without_commit_drops_only_its_own_writes(keyed: Keyed) -> None:
    kept, dropped = a_truck(), a_truck()
    claim = await begin(keyed.store)

    async with keyed.store.guard(claim) as work:
        async with work.unit_of_work() as uow:
            await uow.trucks.add(kept)
            await uow.commit()
        async with work.unit_of_work() as uow:
            await uow.trucks.add(dropped)
        async with work.reader() as reader:
            with pytest.raises(ReadOnlyUnitOfWork):
                await reader.commit()
        assert await work.settle(RESPONSE)

    async with keyed.units() as uow:
        assert await uow.trucks.get(kept.id) == kept
        assert await uow.trucks.get(dropped.id) is None
