from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from fusionx.core.model.credentials import AccessToken


class AccessTokenRepository(Protocol):
    """Credentials by the hash of their secret. ``token_hash`` is unique."""

    async def add(self, token: AccessToken) -> None: ...

    async def get_by_hash(self, token_hash: str) -> AccessToken | None: ...

    async def revoke(self, token_id: UUID, at: datetime) -> None:
        """Mark one credential revoked; revoking twice keeps the first time."""
        ...

    async def revoke_all_for(
        self, subject_id: UUID, at: datetime, keep: UUID | None = None
    ) -> None:
        """Revoke every live credential of a staff member or device, but ``keep``."""
        ...
