from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.audience import Audience, StaffContact


class NotificationAudience(Protocol):
    """Who can be told about a truck, read in a couple of statements: it is read in the
    transaction of every order, so it must stay cheap."""

    async def of_truck(self, truck_id: UUID) -> Audience: ...

    async def contact(self, staff_id: UUID) -> StaffContact | None:
        """One staff member, active, with their choices; None otherwise."""
        ...
