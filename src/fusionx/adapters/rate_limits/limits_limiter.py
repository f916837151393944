"""``RateLimiter`` on the ``limits`` library: Redis (shared), or memory (one process)."""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.errors import StorageError

from fusionx.ports.errors import StorageUnavailable
from fusionx.ports.rate_limiter import RateDecision

_NAMESPACE = "fusionx"
# A Redis that stops answering must not hold requests: they fail over to a 503 instead.
_REDIS_TIMEOUT_SECONDS = 2.0


class LimitsRateLimiter:
    """The library's fixed-window strategy over one of its storages.

    A refused hit is counted too (the library's ``hit`` increments before comparing), so
    a client hammering through its refusals does not get a fresh window any sooner.
    """

    def __init__(self, rate: str, storage: Storage) -> None:
        self._item: RateLimitItem = parse(rate)
        self._storage = storage
        self._strategy = FixedWindowRateLimiter(storage)

    @classmethod
    def in_memory(cls, rate: str) -> LimitsRateLimiter:
        """Counts in this process only: tests, the demo, a single worker."""
        return cls(rate, MemoryStorage())

    @classmethod
    def from_url(cls, rate: str, url: str) -> LimitsRateLimiter:
        """``async+redis://host:6379/0``, ``async+rediss://…`` or ``async+redis+unix://…``."""
        storage = RedisStorage(
            url,
            wrap_exceptions=True,
            connect_timeout=_REDIS_TIMEOUT_SECONDS,
            stream_timeout=_REDIS_TIMEOUT_SECONDS,
        )
        return cls(rate, storage)

    async def hit(self, key: str) -> RateDecision:
        try:
            allowed = await self._strategy.hit(self._item, _NAMESPACE, key)
            stats = await self._strategy.get_window_stats(self._item, _NAMESPACE, key)
        except StorageError as error:
            raise StorageUnavailable(f"rate limit store: {error.storage_error}") from error
        return RateDecision(
            allowed=allowed,
            limit=self._item.amount,
            remaining=stats.remaining,
            reset_after_seconds=max(1, math.ceil(stats.reset_time - time.time())),
        )
