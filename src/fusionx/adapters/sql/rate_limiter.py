"""``RateLimiter`` on our own database, for deployments without Redis.

The ``limits`` library has no SQL storage, and its storage interface would cost a hit
three statements (count, read the count, read the expiry). This is the same fixed-window
strategy as its ``FixedWindowRateLimiter``, in one statement per hit: an
``INSERT … ON CONFLICT DO UPDATE … RETURNING`` that starts the key's window, counts in
it, or starts a new one once it has ended, and returns the count and the window's end.
The row lock it takes makes concurrent hits on one key queue up, across workers and
instances alike.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from sqlalchemy import case, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from fusionx.adapters.rate_limits.notation import parse_rate
from fusionx.adapters.sql.errors import is_unavailable, unavailable
from fusionx.adapters.sql.tables import RateLimitWindowRow as Row
from fusionx.ports.clock import Clock
from fusionx.ports.rate_limiter import RateDecision


class SqlRateLimiter:
    """``rate`` in the ``limits`` notation: ``60/minute``, ``5 per second``."""

    def __init__(self, engine: AsyncEngine, clock: Clock, rate: str) -> None:
        parsed = parse_rate(rate)
        self._engine = engine
        self._clock = clock
        self._limit = parsed.amount
        self._window = timedelta(seconds=parsed.seconds)
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    async def hit(self, key: str) -> RateDecision:
        now = self._clock.now()
        statement = self._insert(Row).values(key=key, hits=1, ends_at=now + self._window)
        ended = Row.ends_at <= now
        upsert = statement.on_conflict_do_update(
            index_elements=[Row.key],
            set_={
                "hits": case((ended, 1), else_=Row.hits + 1),
                "ends_at": case((ended, statement.excluded.ends_at), else_=Row.ends_at),
            },
        ).returning(Row.hits, Row.ends_at)
        async with self._transaction() as connection:
            hits, ends_at = (await connection.execute(upsert)).one()
        return RateDecision(
            allowed=hits <= self._limit,
            limit=self._limit,
            remaining=max(0, self._limit - hits),
            reset_after_seconds=_seconds_until(ends_at, now),
        )

    async def purge(self, now: datetime) -> int:
        """Forget the windows that have ended: they count as none anyway."""
        async with self._transaction() as connection:
            result = await connection.execute(delete(Row).where(Row.ends_at <= now))
        return int(result.rowcount or 0)

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncConnection]:
        try:
            async with self._engine.begin() as connection:
                yield connection
        except Exception as error:
            if is_unavailable(error):
                raise unavailable(error) from error
            raise


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))
