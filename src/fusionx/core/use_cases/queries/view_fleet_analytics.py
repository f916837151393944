from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec

from fusionx.core.model.analytics import AnalyticsRange, AnalyticsReport, Bucket
from fusionx.core.model.principals import Principal
from fusionx.core.use_cases.steps.analytics_scope import trucks_of_analytics
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class FleetAnalyticsRequest(msgspec.Struct, frozen=True, kw_only=True):
    first: date
    last: date
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
    - at most 400 days, 31 by hour (422 naming ``to``), ``to`` not before ``from``;
    - never stale: what the rollup lacks is read from the orders themselves;
    - only buckets with trading are listed.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, request: FleetAnalyticsRequest) -> AnalyticsReport:
        span = AnalyticsRange(first=request.first, last=request.last, bucket=request.bucket)
        now = self._clock.now()
        async with self._uow as uow:
            trucks = await trucks_of_analytics(uow, principal, request.truck_id)
            buckets = await uow.analytics.report(trucks, span, now)
        return AnalyticsReport(trucks=trucks, range=span, buckets=buckets, as_of=now)
