from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.staff import StaffFilter, StaffMember


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

    async def search(self, criteria: StaffFilter, page: PageRequest) -> Page[StaffMember]:
        """Accounts matching every criterion (``StaffFilter.matches``), by name then id."""
        ...

    async def lock_active_owners(self) -> frozenset[UUID]:
        """The active owners' ids, as no other unit can change them until this one ends:
        a unit that may remove an owner reads them here first, so two such units run one
        after the other and the second sees what the first did."""
        ...
