from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.staff import StaffMember


class StaffRepository(Protocol):
    """Staff accounts. Email is unique regardless of case (``UniqueViolation("email")``)."""

    async def add(self, staff: StaffMember) -> None: ...

    async def get(self, staff_id: UUID) -> StaffMember | None: ...

    async def get_by_email(self, email: str) -> StaffMember | None:
        """Match ignoring case."""
        ...

    async def update(self, staff: StaffMember) -> None:
        """Replace the stored account, truck assignments included."""
        ...

    async def count(self) -> int:
        """How many accounts exist, active or not."""
        ...
