from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import msgspec

from fusionx.core.model.cancellations import ReasonTotal
from fusionx.core.model.principals import Principal
from fusionx.core.model.shifts import Shift, ShiftState
from fusionx.core.model.staff import Role
from fusionx.core.model.summary import OrderBucket, ShiftFigures
from fusionx.core.rules.access import require_staff
from fusionx.core.use_cases.steps.shift_scope import shift_in_scope
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork

BUCKET_MINUTES = 15


class ShiftSummary(msgspec.Struct, frozen=True, kw_only=True):
    """``final`` once the shift is closed; else live, as of ``as_of``."""

    shift: Shift
    final: bool
    as_of: datetime
    bucket_minutes: int
    figures: ShiftFigures
    cancellations: tuple[ReasonTotal, ...] = ()
    refunds: tuple[ReasonTotal, ...] = ()


class SummarizeShift:
    """A shift's figures for its managers: orders by state, gross, cancelled and net
    sales, prep and wait times, orders per 15 minutes, best sellers, and cancellations
    and refunds counted and summed by reason.

    Rules:
    - managers of the truck, admins and owners; others get 404 or 403;
    - computed by the database over the shift's orders, live while the shift is open;
    - buckets run from the first order's to the last's, empty ones included.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, shift_id: UUID) -> ShiftSummary:
        async with self._uow as uow:
            shift = await shift_in_scope(uow, principal, shift_id)
            require_staff(principal, Role.MANAGER)
            figures = await uow.summaries.figures(shift.id, bucket_minutes=BUCKET_MINUTES)
            cancellations = await uow.cancellations.totals_by_reason(shift.id)
            refunds = await uow.refunds.totals_by_reason(shift.id)
        return ShiftSummary(
            shift=shift,
            final=shift.state is ShiftState.CLOSED,
            as_of=self._clock.now(),
            bucket_minutes=BUCKET_MINUTES,
            figures=msgspec.structs.replace(
                figures, buckets=_filled(figures.buckets, timedelta(minutes=BUCKET_MINUTES))
            ),
            cancellations=tuple(cancellations),
            refunds=tuple(refunds),
        )


def _filled(buckets: tuple[OrderBucket, ...], length: timedelta) -> tuple[OrderBucket, ...]:
    if not buckets:
        return ()
    counts = {bucket.starts_at: bucket.orders for bucket in buckets}
    start, last, filled = buckets[0].starts_at, buckets[-1].starts_at, []
    while start <= last:
        filled.append(OrderBucket(starts_at=start, orders=counts.get(start, 0)))
        start += length
    return tuple(filled)
