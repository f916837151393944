from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.reviews import Review, TruckRatings


class ReviewRepository(Protocol):
    """Reviews, at most one per order: ``add`` raises ``UniqueViolation("order_id")``
    for an order reviewed already (of two racing units, the second to commit)."""

    async def add(self, review: Review) -> None: ...

    async def get(self, review_id: UUID) -> Review | None: ...

    async def for_order(self, order_id: UUID) -> Review | None: ...

    async def save(self, review: Review) -> None:
        """Store what may change of a review: stars, comment, times, hiding."""
        ...

    async def list_for_truck(self, truck_id: UUID, page: PageRequest) -> Page[Review]:
        """The truck's reviews, hidden ones too, newest first."""
        ...

    async def ratings(self, truck_id: UUID) -> TruckRatings:
        """The truck's and its items' ratings over visible reviews, computed by the store."""
        ...
