from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.email_tokens import EmailToken, TokenPurpose
from fusionx.ports.errors import UniqueViolation


class InMemoryEmailTokenRepository:
    """``EmailTokenRepository`` over a unit's tables; units run one at a time (the
    store's write lock), which is what makes ``consume`` single-use here."""

    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.email_tokens

    async def add(self, token: EmailToken) -> None:
        if any(t.token_hash == token.token_hash for t in self._rows.values()):
            raise UniqueViolation("token_hash")
        self._rows[token.id] = token

    async def consume(
        self, token_hash: str, purpose: TokenPurpose, now: datetime
    ) -> EmailToken | None:
        token = next((t for t in self._rows.values() if t.token_hash == token_hash), None)
        if token is None or token.purpose is not purpose or not token.is_usable_at(now):
            return None
        used = msgspec.structs.replace(token, used_at=now)
        self._rows[token.id] = used
        return used

    async def discard_for(self, staff_id: UUID, purpose: TokenPurpose, now: datetime) -> None:
        for token in list(self._rows.values()):
            if token.staff_id == staff_id and token.purpose is purpose and token.used_at is None:
                self._rows[token.id] = msgspec.structs.replace(token, used_at=now)
