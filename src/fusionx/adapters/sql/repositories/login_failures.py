from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.tables import LoginFailureRow


class SqlLoginFailureLog:
    """``LoginFailureLog`` on ``login_failures``: one row per failed attempt."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, key: str, at: datetime) -> None:
        await self._session.execute(insert(LoginFailureRow).values(key=key, at=at))

    async def since(self, key: str, since: datetime) -> list[datetime]:
        times = await self._session.scalars(
            select(LoginFailureRow.at)
            .where(LoginFailureRow.key == key, LoginFailureRow.at > since)
            .order_by(LoginFailureRow.at, LoginFailureRow.id)
        )
        return list(times)

    async def clear(self, key: str) -> None:
        await self._session.execute(delete(LoginFailureRow).where(LoginFailureRow.key == key))
