"""The hub's fleet feed: every shift's events, repeats included, and a gap whenever any
shift's subscribers may have missed some."""

from __future__ import annotations

from uuid import uuid4

from fusionx.adapters.events.in_process_hub import InProcessEventHub
from tests.events.conftest import an_event

SHIFT, OTHER_SHIFT = uuid4(), uuid4()


async def test_the_fleet_feed_hears_every_shift_with_or_without_subscribers() -> None:
    hub = InProcessEventHub()
    async with hub.subscribe_fleet() as fleet, hub.subscribe(SHIFT) as one:
        events = [an_event(SHIFT, 1), an_event(OTHER_SHIFT, 1), an_event(SHIFT, 1)]
        await hub.publish(events)

        # The repeat (a NOTIFY of what this process committed) reaches the fleet feed,
        # whose reader re-reads from the log; the shift's own subscribers hear it once.
        assert [await fleet.next() for _ in events] == events
        assert await one.next() == an_event(SHIFT, 1)
    assert hub.subscriber_count(SHIFT) == 0


async def test_a_gap_anywhere_is_a_gap_for_the_fleet_feed_and_a_slow_one_overflows_alone() -> None:
    hub = InProcessEventHub(buffer=2)
    async with hub.subscribe_fleet() as fleet, hub.subscribe(SHIFT) as mine:
        hub.invalidate(OTHER_SHIFT)  # a pointer too big to carry: the fleet cannot tell
        assert await fleet.next() is None

        for seq in range(1, 5):
            await hub.publish([an_event(SHIFT, seq)])
            assert await mine.next() == an_event(SHIFT, seq)
        assert await fleet.next() is None  # overflowed: catch up from the log
        hub.invalidate()
        assert await fleet.next() is None
