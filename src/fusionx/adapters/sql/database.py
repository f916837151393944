"""The SQL database as the app sees it: units of work, readiness and shutdown."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from fusionx.adapters.sql.dialects import repositories_for
from fusionx.adapters.sql.driver_pool import DriverPool
from fusionx.adapters.sql.engine import PoolLimits, build_engine, is_sqlite
from fusionx.adapters.sql.errors import describe
from fusionx.adapters.sql.idempotency import SqlIdempotencyStore
from fusionx.adapters.sql.migrations.revisions import HEAD_REVISION, current_revision, is_known
from fusionx.adapters.sql.rate_limiter import SqlRateLimiter
from fusionx.adapters.sql.reading import (
    PgReadingUnitOfWork,
    SqlReadingUnitOfWork,
    reading_engine,
)
from fusionx.adapters.sql.tables import NotificationRow
from fusionx.adapters.sql.unit_of_work import SqlUnitOfWork
from fusionx.core.model.notifications import NotificationState
from fusionx.ports.clock import Clock
from fusionx.ports.event_bus import EventBus
from fusionx.ports.event_reaction import EventReaction

# A readiness probe must answer quickly even when the network swallows packets.
_PROBE_TIMEOUT_SECONDS = 5
_UPGRADE_HINT = "run `fusionx db upgrade`"


@dataclass(frozen=True)
class SchemaProblem:
    """Why the database cannot serve this code: one line, and whether migrating to the
    head revision (``fusionx db upgrade``) cures it."""

    message: str
    upgradable: bool = False


class SqlDatabase:
    """One database (SQLite file or PostgreSQL) behind every SQL unit of work.

    Building it does no I/O beyond creating a SQLite file's directory; connections
    open on first use. Also a ``ReadinessProbe``. Units of work hand the events they
    commit to ``bus``, when given, for this process's live subscribers, and run
    ``reaction`` over them in the committing transaction.
    """

    def __init__(
        self,
        url: str,
        bus: EventBus | None = None,
        reaction: EventReaction | None = None,
        *,
        pool_size: int = PoolLimits.size,
        pool_timeout_seconds: float = PoolLimits.timeout_seconds,
    ) -> None:
        limits = PoolLimits(pool_size, pool_timeout_seconds)
        self._engine = build_engine(url, pool=limits)
        self._dialect = repositories_for(self._engine.dialect.name)
        self._sessions = async_sessionmaker(self._engine, expire_on_commit=False)
        self._reading_sessions = async_sessionmaker(
            reading_engine(self._engine), expire_on_commit=False
        )
        # On PostgreSQL the reads every request makes go straight to asyncpg.
        self._driver = None if is_sqlite(url) else DriverPool(self._engine, limits)
        self._bus = bus
        self._reaction = reaction

    def unit_of_work(self) -> SqlUnitOfWork:
        """A fresh unit of work; this method is the app's ``UnitOfWorkFactory``."""
        return SqlUnitOfWork(self._sessions, self._bus, self._reaction, self._dialect)

    def reader(self) -> SqlReadingUnitOfWork:
        """A fresh unit of work for a use case that only reads (the app's ``reader``)."""
        if self._driver is not None:
            return PgReadingUnitOfWork(self._reading_sessions, self._driver)
        return SqlReadingUnitOfWork(self._reading_sessions, dialect=self._dialect)

    def idempotency_store(self) -> SqlIdempotencyStore:
        """The store of idempotency keys, on this database's connection pool."""
        return SqlIdempotencyStore(self._engine, self._sessions, self._bus, self._reaction)

    def rate_limiter(self, clock: Clock, rate: str) -> SqlRateLimiter:
        """A limiter of ``rate`` hits per key counted in this database (no Redis)."""
        return SqlRateLimiter(self._engine, clock, rate)

    async def problems(self) -> list[str]:
        """``[]`` when the database answers at the head revision; never raises."""
        problem = await self.schema_problem()
        return [] if problem is None else [problem.message]

    async def schema_problem(self) -> SchemaProblem | None:
        """None when the database answers at the head revision; never raises."""
        try:
            async with asyncio.timeout(_PROBE_TIMEOUT_SECONDS):
                current = await current_revision(self._engine)
        except TimeoutError:
            return SchemaProblem(
                f"database unreachable: no answer within {_PROBE_TIMEOUT_SECONDS} s"
            )
        except Exception as error:  # noqa: BLE001 - a probe reports every failure, raises none
            return SchemaProblem(f"database unreachable: {describe(error)}")
        expected = HEAD_REVISION
        if current == expected:
            return None
        if current is None:
            return SchemaProblem(
                f"database schema is empty, code expects {expected} ({_UPGRADE_HINT})",
                upgradable=True,
            )
        if not is_known(current):
            newer = "was it migrated by a newer release?"
            return SchemaProblem(
                f"database schema at {current}, unknown to this code (expects {expected}); {newer}"
            )
        return SchemaProblem(
            f"database schema at {current}, code expects {expected} ({_UPGRADE_HINT})",
            upgradable=True,
        )

    async def outbox_backlog(self, now: datetime) -> tuple[int, float]:
        """How many notifications wait to be sent, and the oldest one's age in seconds."""
        pending = NotificationRow.state == NotificationState.PENDING.value
        query = select(func.count(), func.min(NotificationRow.created_at)).where(pending)
        async with asyncio.timeout(_PROBE_TIMEOUT_SECONDS), self._reading_sessions() as session:
            count, oldest = (await session.execute(query)).one()
        age = 0.0 if oldest is None else max((now - oldest).total_seconds(), 0.0)
        return int(count), age

    async def dispose(self) -> None:
        """Close every pooled connection; call once at shutdown."""
        if self._driver is not None:
            await self._driver.close()
        await self._engine.dispose()
