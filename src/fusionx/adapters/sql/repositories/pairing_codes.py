from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.mapping import entity_from, plain_uuid, row_values
from fusionx.adapters.sql.tables import PairingCodeRow
from fusionx.core.model.pairing_codes import PairingCode

_CODE = (
    PairingCodeRow.id,
    PairingCodeRow.truck_id,
    PairingCodeRow.label,
    PairingCodeRow.code_hash,
    PairingCodeRow.created_by,
    PairingCodeRow.created_at,
    PairingCodeRow.expires_at,
    PairingCodeRow.used_at,
)


class SqlPairingCodeRepository:
    """``PairingCodeRepository`` on ``pairing_codes``. ``consume`` is one guarded UPDATE:
    on PostgreSQL a racing second UPDATE waits for the first's row lock and, once it
    commits, re-reads the row and matches nothing; SQLite runs one writer at a time."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, code: PairingCode) -> None:
        await self._session.execute(insert(PairingCodeRow).values(row_values(code)))

    async def consume(self, code_hash: str, now: datetime) -> PairingCode | None:
        result = await self._session.execute(
            update(PairingCodeRow)
            .where(
                PairingCodeRow.code_hash == code_hash,
                PairingCodeRow.used_at.is_(None),
                PairingCodeRow.expires_at > now,
            )
            .values(used_at=now)
            .returning(*_CODE)
        )
        row = result.one_or_none()
        if row is None:
            return None
        return entity_from(
            PairingCode,
            row,
            id=plain_uuid(row.id),
            truck_id=plain_uuid(row.truck_id),
            created_by=plain_uuid(row.created_by),
        )
