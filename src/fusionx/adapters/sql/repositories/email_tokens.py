from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.errors import unique_writes
from fusionx.adapters.sql.mapping import entity_from, plain_uuid, row_values
from fusionx.adapters.sql.tables import EmailTokenRow
from fusionx.core.model.email_tokens import EmailToken, TokenPurpose

_COLUMNS = (
    EmailTokenRow.id,
    EmailTokenRow.token_hash,
    EmailTokenRow.purpose,
    EmailTokenRow.staff_id,
    EmailTokenRow.email,
    EmailTokenRow.created_at,
    EmailTokenRow.expires_at,
    EmailTokenRow.used_at,
)


class SqlEmailTokenRepository:
    """``EmailTokenRepository`` on ``email_tokens``, the same on both dialects.

    ``consume`` is one guarded UPDATE … RETURNING: on PostgreSQL a racing second UPDATE
    waits for the first's row lock and, once it commits, finds the row used and matches
    nothing; SQLite runs one writer at a time anyway.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: EmailToken) -> None:
        async with unique_writes(self._session):
            await self._session.execute(insert(EmailTokenRow).values(row_values(token)))

    async def consume(
        self, token_hash: str, purpose: TokenPurpose, now: datetime
    ) -> EmailToken | None:
        result = await self._session.execute(
            update(EmailTokenRow)
            .where(
                EmailTokenRow.token_hash == token_hash,
                EmailTokenRow.purpose == purpose.value,
                EmailTokenRow.used_at.is_(None),
                EmailTokenRow.expires_at > now,
            )
            .values(used_at=now)
            .returning(*_COLUMNS)
        )
        row = result.one_or_none()
        if row is None:
            return None
        return entity_from(
            EmailToken,
            row,
            id=plain_uuid(row.id),
            staff_id=plain_uuid(row.staff_id),
            purpose=TokenPurpose(row.purpose),
        )

    async def discard_for(self, staff_id: UUID, purpose: TokenPurpose, now: datetime) -> None:
        await self._session.execute(
            update(EmailTokenRow)
            .where(
                EmailTokenRow.staff_id == staff_id,
                EmailTokenRow.purpose == purpose.value,
                EmailTokenRow.used_at.is_(None),
            )
            .values(used_at=now)
        )
