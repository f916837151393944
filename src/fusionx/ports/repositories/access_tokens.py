from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

import msgspec

from fusionx.core.model.credentials import AccessToken
from fusionx.core.model.customers import Customer
from fusionx.core.model.devices import Device
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.staff import StaffMember


class TokenHolder(msgspec.Struct, frozen=True, kw_only=True):
    """A credential with the staff member, device or customer it was issued to, as
    stored now. ``subject`` is whichever the token's ``kind`` names, None when that row
    is gone."""

    token: AccessToken
    subject: StaffMember | Device | Customer | None


class AccessTokenRepository(Protocol):
    """Credentials by the hash of their secret. ``token_hash`` is unique.

    Revocations reach the unit of work's event bus once committed, in every process the
    bus reaches (``EventBus.revoked``): open streams using a revoked credential end.
    """

    async def add(self, token: AccessToken) -> None: ...

    async def get_by_hash(self, token_hash: str) -> AccessToken | None: ...

    async def get_with_holder(self, token_hash: str) -> TokenHolder | None:
        """``get_by_hash`` and the token's staff member, device or customer, read
        together: authentication's one read."""
        ...

    async def revoke(self, token_id: UUID, at: datetime) -> None:
        """Mark one credential revoked; revoking twice keeps the first time."""
        ...

    async def revoke_all_for(
        self, subject_id: UUID, at: datetime, keep: UUID | None = None
    ) -> None:
        """Revoke every live credential of a staff member or device, but ``keep``."""
        ...

    async def get(self, token_id: UUID) -> AccessToken | None: ...

    async def sessions_of(
        self, staff_id: UUID, now: datetime, page: PageRequest
    ) -> Page[AccessToken]:
        """A staff member's sessions usable at ``now`` (staff kind, neither revoked nor
        expired), the newest first."""
        ...

    async def seen(self, token_id: UUID, at: datetime, unless_since: datetime) -> None:
        """Record the credential as seen ``at``, unless it was seen at or after
        ``unless_since`` already: one guarded statement, so workers racing to record the
        same credential write it once."""
        ...
