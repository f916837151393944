from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.tables import LoginFailureRow

# The first half of PostgreSQL's two-part advisory lock keys: ours are sign-in throttles.
_THROTTLE_LOCKS = 0x46580001


class SqlLoginFailureLog:
    """``LoginFailureLog`` on ``login_failures``: one row per failed attempt.

    As SQLite runs it: ``hold`` takes no lock, as every unit of work there holds the
    database's write lock from its first statement. ``PgLoginFailureLog`` locks.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def hold(self, keys: Collection[str]) -> None:
        """Nothing to take: the unit already holds SQLite's one write lock."""

    async def record(self, key: str, at: datetime) -> None:
        await self._session.execute(insert(LoginFailureRow).values(key=key, at=at))

    async def since(self, key: str, since: datetime) -> list[datetime]:
        times = await self._session.scalars(
            select(LoginFailureRow.at)
            .where(LoginFailureRow.key == key, LoginFailureRow.at > since)
            .order_by(LoginFailureRow.at, LoginFailureRow.id)
        )
        return list(times)

    async def forgive(self, key: str, at: datetime) -> None:
        one = (
            select(LoginFailureRow.id)
            .where(LoginFailureRow.key == key, LoginFailureRow.at == at)
            .limit(1)
            .scalar_subquery()
        )
        await self._session.execute(delete(LoginFailureRow).where(LoginFailureRow.id == one))

    async def clear(self, key: str) -> None:
        await self._session.execute(delete(LoginFailureRow).where(LoginFailureRow.key == key))


class PgLoginFailureLog(SqlLoginFailureLog):
    """PostgreSQL: ``hold`` takes a transaction-level advisory lock per key, in one order
    (sorted) so that two units holding two keys cannot deadlock."""

    async def hold(self, keys: Collection[str]) -> None:
        for key in sorted(set(keys)):
            lock = func.pg_advisory_xact_lock(_THROTTLE_LOCKS, func.hashtext(key))
            await self._session.execute(select(lock))
