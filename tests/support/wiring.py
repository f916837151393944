"""The production wiring in a test: built, started and stopped as the server's lifespan
does it, so that no pool or background task outlives the test."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import UUID

from fusionx.core.model.events import ShiftEvent
from fusionx.entrypoints.bootstrap import Adapters, sql_adapters
from fusionx.entrypoints.settings import Settings


async def start(adapters: Adapters) -> None:
    """Run the start-up hooks: the background tasks (sweeps, listener, dispatcher)."""
    for hook in adapters.on_startup:
        await hook()


@asynccontextmanager
async def sql_wiring(settings: Settings, *, started: bool = False) -> AsyncIterator[Adapters]:
    """``sql_adapters(settings)``, started first if ``started``; on exit its shut-down hooks
    run, whether or not it was started, as they do when the server stops."""
    adapters = sql_adapters(settings)
    try:
        if started:
            await start(adapters)
        yield adapters
    finally:
        for hook in adapters.on_shutdown:
            await hook()


async def first_event_once_started(adapters: Adapters, shift_id: UUID) -> ShiftEvent | None:
    """Follow ``shift_id``, then start ``adapters``: the first event its background tasks
    publish there (within 30 seconds)."""
    async with adapters.bus.subscribe(shift_id) as feed:
        await start(adapters)
        async with asyncio.timeout(30):
            return await feed.next()
