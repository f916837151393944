from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.cancellations import Cancellation, ReasonTotal
from fusionx.core.model.paging import Page, PageRequest


class CancellationLog(Protocol):
    """The audit trail of cancelled orders: one record per order, never changed."""

    async def add(self, cancellation: Cancellation) -> None: ...

    async def for_order(self, order_id: UUID) -> Cancellation | None: ...

    async def for_shift(self, shift_id: UUID, page: PageRequest) -> Page[Cancellation]:
        """A shift's cancellations, oldest first."""
        ...

    async def totals_by_reason(self, shift_id: UUID) -> list[ReasonTotal]:
        """Per reason given this shift (and only those), in the reasons' order."""
        ...
