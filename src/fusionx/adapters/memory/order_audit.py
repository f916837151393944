"""In-memory audit trails of cancellations and refunds."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

import msgspec

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.cancellations import Cancellation, CancelReason, ReasonTotal
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.refunds import Refund, RefundStatus
from fusionx.ports.errors import UniqueViolation


class InMemoryCancellationLog:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.cancellations

    async def add(self, cancellation: Cancellation) -> None:
        if cancellation.order_id in self._rows:
            raise UniqueViolation("order_id")
        self._rows[cancellation.order_id] = cancellation

    async def for_order(self, order_id: UUID) -> Cancellation | None:
        return self._rows.get(order_id)

    async def for_shift(self, shift_id: UUID, page: PageRequest) -> Page[Cancellation]:
        rows = sorted(
            (c for c in self._rows.values() if c.shift_id == shift_id),
            key=lambda c: (c.at, c.order_id),
        )
        return Page.of_list(rows, page)

    async def totals_by_reason(self, shift_id: UUID) -> list[ReasonTotal]:
        rows = [c for c in self._rows.values() if c.shift_id == shift_id]
        return _totals((c.reason, c.amount_cents) for c in rows)


class InMemoryRefundLedger:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.refunds

    async def add(self, refund: Refund) -> None:
        self._rows[refund.id] = refund

    async def save_outcome(self, refund: Refund) -> None:
        kept = self._rows[refund.id]
        self._rows[refund.id] = msgspec.structs.replace(
            kept, status=refund.status, reference=refund.reference, failure=refund.failure
        )

    async def for_order(self, order_id: UUID) -> list[Refund]:
        return sorted(
            (r for r in self._rows.values() if r.order_id == order_id), key=lambda r: (r.at, r.id)
        )

    async def for_shift(self, shift_id: UUID) -> list[Refund]:
        return sorted(
            (r for r in self._rows.values() if r.shift_id == shift_id), key=lambda r: (r.at, r.id)
        )

    async def totals_by_reason(self, shift_id: UUID) -> list[ReasonTotal]:
        rows = [
            r
            for r in self._rows.values()
            if r.shift_id == shift_id and r.status is RefundStatus.SUCCEEDED
        ]
        return _totals((r.reason, r.amount_cents) for r in rows)


def _totals(given: Iterable[tuple[CancelReason, int]]) -> list[ReasonTotal]:
    counts: dict[CancelReason, list[int]] = {}
    for reason, amount in given:
        counts.setdefault(reason, []).append(amount)
    return [
        ReasonTotal(reason=reason, count=len(counts[reason]), amount_cents=sum(counts[reason]))
        for reason in CancelReason
        if reason in counts
    ]
