from __future__ import annotations

import asyncio
from datetime import timedelta

from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0


async def test_failures_since_are_strictly_after_and_oldest_first(
    uow_factory: UnitOfWorkFactory,
) -> None:
    times = [T0 + timedelta(seconds=s) for s in (30, 0, 10, 20)]
    async with uow_factory() as uow:
        for at in times:
            await uow.login_failures.record("account:ana@x.io", at)
        await uow.login_failures.record("address:203.0.113.9", T0 + timedelta(seconds=15))
        await uow.commit()

    async with uow_factory() as uow:
        since = await uow.login_failures.since("account:ana@x.io", T0 + timedelta(seconds=10))
        everything = await uow.login_failures.since("account:ana@x.io", T0 - timedelta(days=1))
        unknown = await uow.login_failures.since("account:bo@x.io", T0 - timedelta(days=1))

    assert since == [T0 + timedelta(seconds=20), T0 + timedelta(seconds=30)]
    assert everything == sorted(times)
    assert all(at.utcoffset() == timedelta(0) for at in everything)
    assert unknown == []


async def test_the_same_time_may_be_recorded_twice(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.login_failures.record("account:ana@x.io", T0)
        await uow.login_failures.record("account:ana@x.io", T0)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.login_failures.since("account:ana@x.io", T0 - timedelta(1)) == [T0, T0]


async def test_clear_forgets_one_key(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.login_failures.record("account:ana@x.io", T0)
        await uow.login_failures.record("address:203.0.113.9", T0)
        await uow.commit()

    async with uow_factory() as uow:
        await uow.login_failures.clear("account:ana@x.io")
        await uow.login_failures.clear("account:nobody@x.io")
        await uow.commit()

    long_ago = T0 - timedelta(days=1)
    async with uow_factory() as uow:
        assert await uow.login_failures.since("account:ana@x.io", long_ago) == []
        assert await uow.login_failures.since("address:203.0.113.9", long_ago) == [T0]


async def test_forgive_takes_back_one_failure_at_that_time(uow_factory: UnitOfWorkFactory) -> None:
    later = T0 + timedelta(seconds=1)
    async with uow_factory() as uow:
        for at in (T0, T0, later):
            await uow.login_failures.record("pair:1", at)
        await uow.commit()

    async with uow_factory() as uow:
        await uow.login_failures.forgive("pair:1", T0)
        await uow.login_failures.forgive("pair:1", T0 - timedelta(seconds=1))  # none then
        await uow.login_failures.forgive("pair:2", T0)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.login_failures.since("pair:1", T0 - timedelta(1)) == [T0, later]


async def test_a_held_key_is_counted_by_the_next_holder_only_once_the_first_is_done(
    uow_factory: UnitOfWorkFactory,
) -> None:
    keys = ("pair:1", "address:203.0.113.9")

    async def second() -> list:
        async with uow_factory() as uow:
            await uow.login_failures.hold(keys[::-1])  # any order: no deadlock
            return await uow.login_failures.since(keys[0], T0 - timedelta(1))

    async with asyncio.timeout(30):
        async with uow_factory() as uow:
            await uow.login_failures.hold(keys)
            await uow.login_failures.record(keys[0], T0)
            waiting = asyncio.create_task(second())
            await asyncio.sleep(0.2)  # room for it to read too early, were it not held
            await uow.commit()
        seen = await waiting

    assert seen == [T0]
