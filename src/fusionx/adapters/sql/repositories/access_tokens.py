from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.errors import unique_writes
from fusionx.adapters.sql.mapping import token_from, token_values
from fusionx.adapters.sql.tables import AccessTokenRow
from fusionx.core.model.credentials import AccessToken


class SqlAccessTokenRepository:
    """``AccessTokenRepository`` on ``access_tokens``; ``token_hash`` is unique."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: AccessToken) -> None:
        async with unique_writes(self._session):
            await self._session.execute(insert(AccessTokenRow).values(token_values(token)))

    async def get_by_hash(self, token_hash: str) -> AccessToken | None:
        row = await self._session.scalar(
            select(AccessTokenRow).where(AccessTokenRow.token_hash == token_hash)
        )
        return None if row is None else token_from(row)

    async def revoke(self, token_id: UUID, at: datetime) -> None:
        # Only a live token changes, so the first revocation time is the one kept.
        await self._session.execute(
            update(AccessTokenRow)
            .where(AccessTokenRow.id == token_id, AccessTokenRow.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    async def revoke_all_for(
        self, subject_id: UUID, at: datetime, keep: UUID | None = None
    ) -> None:
        statement = update(AccessTokenRow).where(
            AccessTokenRow.subject_id == subject_id, AccessTokenRow.revoked_at.is_(None)
        )
        if keep is not None:
            statement = statement.where(AccessTokenRow.id != keep)
        await self._session.execute(statement.values(revoked_at=at))
