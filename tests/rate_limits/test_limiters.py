"""One contract, every store: the rate limiter on memory, SQLite, PostgreSQL and Redis.

Each test uses keys of its own, so the shared stores need no emptying between tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from uuid import uuid4

import pytest

from fusionx.adapters.clock.system_clock import SystemClock
from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.rate_limits.limits_limiter import LimitsRateLimiter
from fusionx.adapters.sql.rate_limiter import SqlRateLimiter
from fusionx.ports.rate_limiter import RateLimiter
from tests.support import databases
from tests.support.databases import MigratedDatabase
from tests.support.redis import redis_url

sqlite_database = databases.sqlite_database
postgres_database = databases.postgres_database

MakeLimiter = Callable[[str], RateLimiter]
STORES = [
    "memory",
    "sqlite",
    pytest.param("postgres", marks=pytest.mark.postgres),
    "redis",
]
SHARED_STORES = STORES[1:]


def _makers(request: pytest.FixtureRequest) -> tuple[MakeLimiter, MakeLimiter]:
    """Two ways to build a limiter on the store ``request.param`` names: for a shared
    store, on two connection pools, as two workers would have."""
    store = request.param
    if store == "memory":
        return LimitsRateLimiter.in_memory, LimitsRateLimiter.in_memory
    if store == "redis":
        url = redis_url()
        return (lambda rate: LimitsRateLimiter.from_url(rate, url),) * 2
    database: MigratedDatabase = request.getfixturevalue(f"{store}_database")
    return (
        lambda rate: database.database.rate_limiter(SystemClock(), rate),
        lambda rate: SqlRateLimiter(database.engine, SystemClock(), rate),
    )


@pytest.fixture(params=STORES)
def make_limiter(request: pytest.FixtureRequest) -> MakeLimiter:
    return _makers(request)[0]


@pytest.fixture(params=SHARED_STORES)
def shared_makers(request: pytest.FixtureRequest) -> tuple[MakeLimiter, MakeLimiter]:
    return _makers(request)


def _key() -> str:
    return f"public:{uuid4()}"


async def test_hits_up_to_the_limit_pass_and_the_next_is_refused(make_limiter: MakeLimiter) -> None:
    limiter, key = make_limiter("3/minute"), _key()
    passed = [await limiter.hit(key) for _ in range(3)]
    refused = await limiter.hit(key)

    assert [d.allowed for d in passed] == [True, True, True]
    assert [d.remaining for d in passed] == [2, 1, 0]
    assert not refused.allowed
    assert refused.limit == 3
    assert refused.remaining == 0
    assert 1 <= refused.reset_after_seconds <= 60


async def test_keys_are_counted_apart(make_limiter: MakeLimiter) -> None:
    limiter, first, second = make_limiter("1/minute"), _key(), _key()
    assert (await limiter.hit(first)).allowed
    assert not (await limiter.hit(first)).allowed
    assert (await limiter.hit(second)).allowed


async def test_concurrent_hits_never_pass_more_than_the_limit(make_limiter: MakeLimiter) -> None:
    limiter, key = make_limiter("5/minute"), _key()
    decisions = await asyncio.gather(*(limiter.hit(key) for _ in range(20)))
    assert sum(d.allowed for d in decisions) == 5


async def test_the_window_reopens_once_it_has_ended(make_limiter: MakeLimiter) -> None:
    limiter, key = make_limiter("2/second"), _key()
    await limiter.hit(key)
    await limiter.hit(key)
    refused = await limiter.hit(key)
    assert not refused.allowed
    await asyncio.sleep(refused.reset_after_seconds + 0.1)
    reopened = await limiter.hit(key)
    assert reopened.allowed
    assert reopened.remaining == 1


async def test_limiters_on_one_store_count_together(
    shared_makers: tuple[MakeLimiter, MakeLimiter],
) -> None:
    """Two workers (two pools, two limiters) hold one client to one limit."""
    make_one, make_other = shared_makers
    one, other, key = make_one("4/minute"), make_other("4/minute"), _key()
    decisions = await asyncio.gather(
        *(limiter.hit(key) for limiter in (one, other) for _ in range(5))
    )
    assert sum(d.allowed for d in decisions) == 4


@pytest.fixture(params=databases.SQL_BACKENDS)
def sql_database(request: pytest.FixtureRequest) -> MigratedDatabase:
    return databases.named_sql_backend(request)


async def test_a_refused_hit_reports_the_time_left_in_its_window(
    sql_database: MigratedDatabase,
) -> None:
    clock = ManualClock()
    limiter = sql_database.database.rate_limiter(clock, "1/minute")
    key = _key()
    await limiter.hit(key)
    clock.advance(timedelta(seconds=45))
    refused = await limiter.hit(key)
    clock.advance(timedelta(seconds=15))
    reopened = await limiter.hit(key)

    assert (refused.allowed, refused.reset_after_seconds) == (False, 15)
    assert (reopened.allowed, reopened.reset_after_seconds) == (True, 60)


async def test_purge_forgets_ended_windows_only(sql_database: MigratedDatabase) -> None:
    clock = ManualClock()
    short = sql_database.database.rate_limiter(clock, "1/second")
    long = sql_database.database.rate_limiter(clock, "1/hour")
    ended, running = _key(), _key()
    await short.hit(ended)
    await long.hit(running)
    clock.advance(timedelta(minutes=1))

    assert await long.purge(clock.now()) == 1
    assert not (await long.hit(running)).allowed
    assert (await short.hit(ended)).allowed
