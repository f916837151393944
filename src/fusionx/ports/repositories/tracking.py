from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from fusionx.core.model.tracking import OrderTracking


class OrderTrackingRepository(Protocol):
    """Orders' tracking links, by the SHA-256 of their token (unique), one per order.

    ``add`` raises ``UniqueViolation`` for an order that has one already, or a hash that
    exists (never in practice: tokens carry 256 random bits).
    """

    async def add(self, tracking: OrderTracking) -> None: ...

    async def by_hash(self, token_hash: str) -> OrderTracking | None:
        """One indexed equality read: the same work for any hash, known or not."""
        ...

    async def for_order(self, order_id: UUID) -> OrderTracking | None: ...

    async def for_orders(self, order_ids: list[UUID]) -> list[OrderTracking]:
        """The trackings of those of ``order_ids`` that have one, in no order."""
        ...

    async def set_told(self, order_id: UUID, was: datetime | None, ready_at: datetime) -> bool:
        """Record the ready time the customer was just given, if the one kept is still
        ``was`` (compare-and-set: of several sweeps, one tells); whether it was."""
        ...

    async def overdue(self, before: datetime, limit: int) -> list[OrderTracking]:
        """Trackings whose customer opted in and was told a ready time before ``before``,
        of orders whose ticket is still to be made (new, in prep or held), oldest told
        first."""
        ...
