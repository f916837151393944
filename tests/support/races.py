"""Attempts started together, for the tests that hold the ports' concurrency promises."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def race(
    count: int, attempt: Callable[[int], Awaitable[T]], *, seconds: float = 60
) -> list[T]:
    """Run ``attempt(0)`` to ``attempt(count - 1)`` at once: each waits at a common barrier,
    so that none is done before the last has started. Their results, in that order."""
    start = asyncio.Barrier(count)

    async def one(n: int) -> T:
        await start.wait()
        return await attempt(n)

    async with asyncio.timeout(seconds):
        return await asyncio.gather(*(one(n) for n in range(count)))
