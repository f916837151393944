"""The live fleet stream's upkeep: alive when quiet, ended when its worker drains, when
its lifetime is over, or when its reader is refused or the database goes away."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import pytest

from fusionx.core.errors import AuthenticationRequired
from fusionx.core.messages import Message
from fusionx.core.model.fleet_live import LiveMessage
from fusionx.entrypoints.http.controllers.fleet_live import LiveStreamTiming, messages
from fusionx.entrypoints.shutdown import Drain
from fusionx.ports.errors import StorageUnavailable

QUICK = LiveStreamTiming(keep_alive=0.03, drain_check=0.01, lifetime=60)


async def _never() -> AsyncGenerator[LiveMessage, None]:
    await asyncio.Event().wait()
    yield  # type: ignore[misc]  # pragma: no cover - never reached


async def _failing(error: Exception) -> AsyncGenerator[LiveMessage, None]:
    raise error
    yield  # type: ignore[unreachable]  # pragma: no cover - a generator that fails


async def test_a_quiet_stream_keeps_alive_and_ends_when_its_worker_drains() -> None:
    drain = Drain()
    stream = messages(_never(), drain, QUICK)

    first = await asyncio.wait_for(anext(stream), timeout=2)
    await drain.begin()
    rest = [m async for m in stream]

    assert first.comment == "keep-alive"
    assert all(m.comment == "keep-alive" for m in rest)


async def test_a_stream_ends_once_its_lifetime_is_over() -> None:
    timing = LiveStreamTiming(keep_alive=60, drain_check=0.01, lifetime=0.05)

    assert [m async for m in messages(_never(), Drain(), timing)] == []


@pytest.mark.parametrize(
    "error",
    [AuthenticationRequired(Message("auth.bearer_required")), StorageUnavailable("gone")],
    ids=["refused", "database gone"],
)
async def test_a_refused_reader_or_a_lost_database_ends_the_stream(error: Exception) -> None:
    assert [m async for m in messages(_failing(error), Drain(), QUICK)] == []
