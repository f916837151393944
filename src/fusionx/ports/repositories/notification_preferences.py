from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.preferences import NotificationPreferences


class NotificationPreferenceRepository(Protocol):
    """Each staff member's choices; someone who never chose gets the defaults."""

    async def get(self, staff_id: UUID) -> NotificationPreferences: ...

    async def put(self, preferences: NotificationPreferences) -> None: ...
