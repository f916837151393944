"""The in-process hub: fan-out, a bounded buffer per subscriber, 'catch up' markers, and
credential revocations for the streams watching them."""

from __future__ import annotations

import asyncio
import contextlib
from uuid import uuid4

import pytest

from fusionx.adapters.events.in_process_hub import (
    RECENT_REVOCATIONS,
    WAKE_BATCH,
    InProcessEventHub,
)
from fusionx.ports.event_bus import CredentialWatch
from tests.events.conftest import an_event

SHIFT, OTHER_SHIFT = uuid4(), uuid4()


async def test_publish_reaches_every_subscriber_of_the_shift_and_no_other() -> None:
    hub = InProcessEventHub()
    async with (
        hub.subscribe(SHIFT) as one,
        hub.subscribe(SHIFT) as two,
        hub.subscribe(OTHER_SHIFT) as other,
    ):
        events = [an_event(SHIFT, 1), an_event(SHIFT, 2)]
        await hub.publish(events)
        await hub.publish([an_event(OTHER_SHIFT, 1)])

        assert [await one.next(), await one.next()] == events
        assert [await two.next(), await two.next()] == events
        assert await other.next() == an_event(OTHER_SHIFT, 1)


async def test_waiting_subscribers_are_woken_a_batch_per_turn_of_the_loop() -> None:
    # All at once, a shift's 500 streams would hold up the rest of the worker for one turn.
    hub = InProcessEventHub()
    count = 2 * WAKE_BATCH + 1
    async with contextlib.AsyncExitStack() as stack:
        feeds = [await stack.enter_async_context(hub.subscribe(SHIFT)) for _ in range(count)]
        woken: list[int] = []

        async def read(n: int) -> None:
            await feeds[n].next()
            woken.append(n)

        readers = [asyncio.create_task(read(n)) for n in range(count)]
        await asyncio.sleep(0)  # every reader waits
        await hub.publish([an_event(SHIFT, 1)])
        turns = []
        while len(woken) < count:
            await asyncio.sleep(0)
            turns.append(len(woken))
        await asyncio.gather(*readers)

    assert turns[:3] == [WAKE_BATCH, 2 * WAKE_BATCH, count]


async def test_a_reader_that_is_not_waiting_finds_the_event_at_once() -> None:
    hub = InProcessEventHub()
    async with contextlib.AsyncExitStack() as stack:
        feeds = [await stack.enter_async_context(hub.subscribe(SHIFT)) for _ in range(200)]
        await hub.publish([an_event(SHIFT, 1)])
        for feed in feeds:  # each read returns without waiting for its turn to be woken
            reading = feed.next()
            with pytest.raises(StopIteration) as read:
                reading.send(None)
            assert read.value.value == an_event(SHIFT, 1)


async def test_a_slow_subscriber_gets_one_gap_marker_and_holds_up_no_one() -> None:
    hub = InProcessEventHub(buffer=2)
    async with hub.subscribe(SHIFT) as slow, hub.subscribe(SHIFT) as fast:
        for seq in range(1, 6):
            await hub.publish([an_event(SHIFT, seq)])  # never waits for `slow`
            assert await fast.next() == an_event(SHIFT, seq)

        # Overflowed twice (at 3 and at 5): still one marker, then what came after it.
        assert await slow.next() is None
        await hub.publish([an_event(SHIFT, 6)])
        assert await slow.next() == an_event(SHIFT, 6)
        assert await fast.next() == an_event(SHIFT, 6)


async def test_invalidate_marks_one_shift_or_all() -> None:
    hub = InProcessEventHub()
    async with hub.subscribe(SHIFT) as mine, hub.subscribe(OTHER_SHIFT) as other:
        await hub.publish([an_event(SHIFT, 1)])
        hub.invalidate(SHIFT)
        assert await mine.next() is None  # the buffer is dropped: the log has it all
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(other.next(), 0.05)

        hub.invalidate()
        assert await mine.next() is None
        assert await other.next() is None


async def test_leaving_releases_the_subscription() -> None:
    hub = InProcessEventHub()
    async with hub.subscribe(SHIFT), hub.subscribe(SHIFT):
        assert hub.subscriber_count(SHIFT) == 2
    assert hub.subscriber_count(SHIFT) == 0
    await hub.publish([an_event(SHIFT, 1)])  # nobody listening: nothing to do
    hub.invalidate()


async def test_an_event_heard_twice_or_late_is_passed_on_once() -> None:
    hub = InProcessEventHub()
    async with hub.subscribe(SHIFT) as feed:
        # From the committing unit of work, then again from NOTIFY; 1 comes after 2.
        await hub.publish([an_event(SHIFT, 2)])
        await hub.publish([an_event(SHIFT, 2), an_event(SHIFT, 1), an_event(SHIFT, 3)])
        assert [await feed.next(), await feed.next()] == [an_event(SHIFT, 2), an_event(SHIFT, 3)]
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(feed.next(), 0.05)


async def test_a_shift_without_subscribers_is_forgotten() -> None:
    hub = InProcessEventHub()
    async with hub.subscribe(SHIFT):
        await hub.publish([an_event(SHIFT, 5)])
    # E.g. a test database rebuilt: numbering starts again and must reach new subscribers.
    async with hub.subscribe(SHIFT) as feed:
        await hub.publish([an_event(SHIFT, 1)])
        assert await feed.next() == an_event(SHIFT, 1)


async def rung(watch: CredentialWatch) -> bool:
    try:
        await asyncio.wait_for(watch.next(), 0.05)  # a rung watch returns at once
    except TimeoutError:
        return False
    return True


async def test_a_revocation_wakes_the_watchers_of_that_credential_only() -> None:
    hub = InProcessEventHub()
    token, other = uuid4(), uuid4()
    async with (
        hub.watch_credential(token) as one,
        hub.watch_credential(token) as two,
        hub.watch_credential(other) as bystander,
    ):
        await hub.revoked([token])
        assert [await rung(one), await rung(two), await rung(bystander)] == [True, True, False]
        assert not await rung(one)  # once per revocation


async def test_a_watch_begun_just_after_its_credential_was_revoked_wakes_at_once() -> None:
    hub = InProcessEventHub()
    token = uuid4()
    await hub.revoked([token])  # between the stream's authentication and its watch
    async with hub.watch_credential(token) as late:
        assert await rung(late)


async def test_revocations_are_remembered_up_to_a_bound() -> None:
    hub = InProcessEventHub()
    first = uuid4()
    await hub.revoked([first, *(uuid4() for _ in range(RECENT_REVOCATIONS))])
    async with hub.watch_credential(first) as late:
        assert not await rung(late)


async def test_invalidating_everything_has_every_watcher_check_again() -> None:
    hub = InProcessEventHub()
    async with hub.watch_credential(uuid4()) as watch, hub.subscribe(SHIFT):
        hub.invalidate(SHIFT)
        assert not await rung(watch)
        hub.invalidate()  # the listener was away: revocations may have been missed
        assert await rung(watch)
