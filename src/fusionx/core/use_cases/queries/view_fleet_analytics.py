from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec

from fusionx.core.model.analytics import AnalyticsRange, AnalyticsReport, Bucket, default_days
from fusionx.core.model.principals import Principal
from fusionx.core.use_cases.steps.business_scope import trucks_in_business_scope
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class FleetAnalyticsRequest(msgspec.Struct, frozen=True, kw_only=True):
    first: date | None = None
    last: date | None = None
    bucket: Bucket = Bucket.DAY
    truck_id: UUID | None = None


class ViewFleetAnalytics:
    """Trading figures per local hour, day or week, of one truck or the fleet.

    Rules:
    - owners and admins read any truck and the whole fleet; managers their trucks (the
      fleet, to them, is their trucks); crew, devices and customers may not (403); a
      truck out of the caller's scope, or unknown, is 404;
    - days (both included) and buckets are on the clock of the location each shift
      traded at; a week is Monday to Sunday, named by its Monday;
    - at most 400 days, 31 by hour (422 naming ``to_date``), not ending before it
      starts; without an end, up to today (UTC); without a start, the 7 days (by hour)
      or 30 days (by day or week) to the end;
    - never stale: what the rollup lacks is read from the orders themselves;
    - only buckets with trading are listed.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, principal: Principal, request: FleetAnalyticsRequest
    ) -> AnalyticsReport:
        now = self._clock.now()
        first, last = default_days(request.first, request.last, request.bucket, now.date())
        span = AnalyticsRange(first=first, last=last, bucket=request.bucket)
        async with self._uow as uow:
            trucks = await trucks_in_business_scope(uow, principal, request.truck_id)
            buckets = await uow.analytics.report(trucks, span, now)
        return AnalyticsReport(trucks=trucks, range=span, buckets=buckets, as_of=now)
