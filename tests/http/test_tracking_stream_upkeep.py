"""A customer's live tracking stream says it is alive when nothing happens, and ends when
its worker drains, so that the browser reconnects elsewhere (with ``Last-Event-ID``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from fusionx.core.use_cases.queries.follow_tracked_order import TrackedUpdate
from fusionx.entrypoints.http.controllers.tracking import messages
from fusionx.entrypoints.shutdown import Drain


async def _never() -> AsyncIterator[TrackedUpdate]:
    await asyncio.Event().wait()
    yield  # type: ignore[misc]  # pragma: no cover - never reached


async def _over() -> AsyncIterator[TrackedUpdate]:
    return
    yield  # type: ignore[unreachable]  # pragma: no cover - an empty generator


async def test_a_quiet_stream_keeps_alive_and_ends_when_its_worker_drains() -> None:
    drain = Drain()
    stream = messages(_never(), drain, keep_alive=0.03, drain_check=0.01)

    first = await asyncio.wait_for(anext(stream), timeout=2)
    await drain.begin()
    rest = [m async for m in stream]

    assert first.comment == "keep-alive"
    assert first.event is None
    assert all(m.comment == "keep-alive" for m in rest)


async def test_a_stream_whose_order_is_over_ends_at_once() -> None:
    stream = messages(_over(), Drain(), keep_alive=0.03, drain_check=0.01)

    assert [m async for m in stream] == []
