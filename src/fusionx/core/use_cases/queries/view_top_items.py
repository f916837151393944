from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.analytics import (
    MAX_TOP_ITEMS,
    AnalyticsRange,
    Bucket,
    TopItems,
    default_days,
)
from fusionx.core.model.principals import Principal
from fusionx.core.use_cases.steps.business_scope import trucks_in_business_scope
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class TopItemsRequest(msgspec.Struct, frozen=True, kw_only=True):
    first: date | None = None
    last: date | None = None
    truck_id: UUID | None = None
    limit: int = 10

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_TOP_ITEMS:
            raise InvalidInput(
                "limit", Message("analytics.top_limit", {"low": 1, "high": MAX_TOP_ITEMS})
            )


class ViewTopItems:
    """The items most sold over some days, on one truck or the fleet.

    Rules:
    - who may read, and the days, as ``ViewFleetAnalytics`` (at most 400 days, by
      default the 30 to today);
    - orders cancelled do not count; refunds do not take items back;
    - ranked by quantity, then name, then id; 1 to 50 items (default 10).
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, request: TopItemsRequest) -> TopItems:
        now = self._clock.now()
        first, last = default_days(request.first, request.last, Bucket.DAY, now.date())
        span = AnalyticsRange(first=first, last=last)
        async with self._uow as uow:
            trucks = await trucks_in_business_scope(uow, principal, request.truck_id)
            items = await uow.analytics.top_items(trucks, span.first, span.last, request.limit, now)
        return TopItems(trucks=trucks, first=span.first, last=span.last, items=items)
