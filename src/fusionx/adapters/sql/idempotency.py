"""``IdempotencyStore`` on the ``idempotency_keys`` table, for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from fusionx.adapters.sql.errors import is_unavailable, unavailable
from fusionx.adapters.sql.guarded_work import SqlGuardedWork
from fusionx.adapters.sql.tables import IdempotencyKeyRow as Row
from fusionx.ports.event_bus import EventBus
from fusionx.ports.event_reaction import EventReaction
from fusionx.ports.idempotency import IdempotencyClaim, IdempotencyRecord, StoredResponse

# A claim that came back empty-handed may find the row gone (released meanwhile).
_ATTEMPTS = 3


class SqlIdempotencyStore:
    """Claims, releases and purges are each one short transaction of their own.

    ``begin`` is one ``INSERT … ON CONFLICT DO UPDATE … WHERE`` statement: the row lock
    it takes makes concurrent claims of one key queue up, and only the first, or one
    finding the old record expired or abandoned, gets a row back. ``guard`` runs the
    claimed request in a transaction of its own (``SqlGuardedWork``), whose units of
    work use ``sessions`` and hand their events to ``bus`` after ``reaction``.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        sessions: Callable[[], AsyncSession],
        bus: EventBus | None = None,
        reaction: EventReaction | None = None,
    ) -> None:
        self._engine = engine
        self._sessions = sessions
        self._bus = bus
        self._reaction = reaction

    async def begin(
        self,
        caller: str,
        key: str,
        fingerprint: str,
        now: datetime,
        *,
        ttl: timedelta,
        lease: timedelta,
    ) -> IdempotencyClaim | IdempotencyRecord:
        for _ in range(_ATTEMPTS):
            async with self._transaction() as connection:
                claim = _claim(
                    connection,
                    caller=caller,
                    key=key,
                    fingerprint=fingerprint,
                    now=now,
                    ttl=ttl,
                    lease=lease,
                )
                if await connection.scalar(claim):
                    return IdempotencyClaim(caller=caller, key=key, claimed_at=now)
                row = (
                    await connection.execute(
                        select(Row.fingerprint, Row.status, Row.headers, Row.body).where(
                            Row.caller == caller, Row.key == key
                        )
                    )
                ).first()
            if row is not None:
                return _record(*row)
        # Released three times in a row: as busy as a claim still running.
        return IdempotencyRecord(fingerprint=fingerprint)  # pragma: no cover

    @asynccontextmanager
    async def guard(self, claim: IdempotencyClaim) -> AsyncIterator[SqlGuardedWork]:
        work = SqlGuardedWork(self._sessions(), claim, self._bus, self._reaction)
        try:
            yield work
        finally:
            await work.close()

    async def release(self, claim: IdempotencyClaim) -> None:
        async with self._transaction() as connection:
            await connection.execute(
                delete(Row).where(
                    Row.caller == claim.caller,
                    Row.key == claim.key,
                    Row.created_at == claim.claimed_at,
                    Row.status.is_(None),
                )
            )

    async def purge(self, now: datetime) -> int:
        async with self._transaction() as connection:
            result = await connection.execute(delete(Row).where(Row.expires_at <= now))
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


def _claim(
    connection: AsyncConnection,
    *,
    caller: str,
    key: str,
    fingerprint: str,
    now: datetime,
    ttl: timedelta,
    lease: timedelta,
) -> Any:
    insert = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(Row)
    statement = insert.values(
        caller=caller,
        key=key,
        fingerprint=fingerprint,
        created_at=now,
        expires_at=now + ttl,
        lease_until=now + lease,
        status=None,
        headers=None,
        body=None,
    )
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[Row.caller, Row.key],
        set_={
            "fingerprint": new.fingerprint,
            "created_at": new.created_at,
            "expires_at": new.expires_at,
            "lease_until": new.lease_until,
            "status": None,
            "headers": None,
            "body": None,
        },
        where=or_(
            Row.expires_at <= now,
            (Row.status.is_(None)) & (Row.lease_until <= now) & (Row.fingerprint == fingerprint),
        ),
    ).returning(Row.caller)


def _record(
    fingerprint: str, status: int | None, headers: Any, body: bytes | None
) -> IdempotencyRecord:
    if status is None:
        return IdempotencyRecord(fingerprint=fingerprint)
    return IdempotencyRecord(
        fingerprint=fingerprint,
        response=StoredResponse(
            status=status,
            headers=tuple((str(name), str(value)) for name, value in headers or ()),
            body=bytes(body or b""),
        ),
    )
