"""The idempotency store's promises, on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from fusionx.adapters.memory.idempotency import InMemoryIdempotencyStore
from fusionx.ports.idempotency import IdempotencyRecord, IdempotencyStore, StoredResponse
from tests.support.databases import MigratedDatabase
from tests.support.entities import T0

DAY, LEASE = timedelta(hours=24), timedelta(seconds=60)
RESPONSE = StoredResponse(
    status=201, headers=(("content-type", "application/json"),), body=b'{"id": 1}'
)


@pytest.fixture
async def store(backend: MigratedDatabase | None) -> IdempotencyStore:
    if backend is None:
        return InMemoryIdempotencyStore()
    await backend.empty()
    return backend.database.idempotency_store()


async def begin(store: IdempotencyStore, fingerprint: str = "f1", at: timedelta = timedelta()):
    return await store.begin("staff:1", "key-1", fingerprint, T0 + at, ttl=DAY, lease=LEASE)


async def test_the_first_claim_runs_and_later_ones_see_its_record(store: IdempotencyStore) -> None:
    assert await begin(store) is None
    assert await begin(store) == IdempotencyRecord(fingerprint="f1")

    await store.finish("staff:1", "key-1", RESPONSE)

    assert await begin(store, "f2") == IdempotencyRecord(fingerprint="f1", response=RESPONSE)
    other_caller = await store.begin("device:2", "key-1", "f1", T0, ttl=DAY, lease=LEASE)
    assert other_caller is None


async def test_a_record_lives_a_day(store: IdempotencyStore) -> None:
    await begin(store)
    await store.finish("staff:1", "key-1", RESPONSE)

    assert (await begin(store, at=DAY - timedelta(seconds=1))) is not None
    assert await begin(store, "f2", at=DAY) is None


async def test_an_abandoned_run_is_taken_over_by_the_same_request_only(
    store: IdempotencyStore,
) -> None:
    await begin(store)

    assert await begin(store, "f2", at=LEASE) == IdempotencyRecord(fingerprint="f1")
    assert await begin(store, "f1", at=LEASE) is None


async def test_a_released_claim_runs_again(store: IdempotencyStore) -> None:
    await begin(store)
    await store.release("staff:1", "key-1")

    assert await begin(store) is None
    await store.finish("staff:1", "key-1", RESPONSE)
    await store.release("staff:1", "key-1")  # a finished record is kept
    assert (await begin(store)) == IdempotencyRecord(fingerprint="f1", response=RESPONSE)


async def test_purge_drops_expired_records(store: IdempotencyStore) -> None:
    await begin(store)
    await store.begin("staff:1", "key-2", "f", T0 + timedelta(hours=1), ttl=DAY, lease=LEASE)

    assert await store.purge(T0 + DAY) == 1
    assert await begin(store, "f9", at=DAY) is None
    kept = await store.begin("staff:1", "key-2", "g", T0 + DAY, ttl=DAY, lease=LEASE)
    assert kept == IdempotencyRecord(fingerprint="f")


async def test_of_racing_claims_exactly_one_runs(store: IdempotencyStore) -> None:
    claims = await asyncio.gather(*(begin(store) for _ in range(10)))

    assert claims.count(None) == 1
