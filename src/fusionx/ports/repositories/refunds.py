from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.cancellations import ReasonTotal
from fusionx.core.model.refunds import Refund


class RefundLedger(Protocol):
    """Every refund given, with its lines: the audit trail of money handed back."""

    async def add(self, refund: Refund) -> None: ...

    async def save_outcome(self, refund: Refund) -> None:
        """Keep the ``status``, ``reference`` and ``failure`` of a refund added before."""
        ...

    async def for_order(self, order_id: UUID) -> list[Refund]:
        """Oldest first."""
        ...

    async def for_shift(self, shift_id: UUID) -> list[Refund]:
        """Oldest first."""
        ...

    async def totals_by_reason(self, shift_id: UUID) -> list[ReasonTotal]:
        """Per reason given this shift (and only those), in the reasons' order: refunds
        that succeeded only, as money pending or refused was not given back."""
        ...
