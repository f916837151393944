"""Looking at an event feed without waiting on it for long."""

from __future__ import annotations

import asyncio

from fusionx.ports.event_bus import EventFeed


async def nothing_waiting(feed: EventFeed) -> bool:
    """Whether no event is waiting on ``feed`` (it is given 50 ms to show one)."""
    try:
        async with asyncio.timeout(0.05):
            await feed.next()
    except TimeoutError:
        return True
    return False
