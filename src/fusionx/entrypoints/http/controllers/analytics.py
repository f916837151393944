from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from fusionx.core.model.analytics import MAX_TOP_ITEMS, Bucket
from fusionx.core.use_cases.queries.view_fleet_analytics import (
    FleetAnalyticsRequest,
    ViewFleetAnalytics,
)
from fusionx.core.use_cases.queries.view_top_items import TopItemsRequest, ViewTopItems
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.history_query import TruckId
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.analytics import AnalyticsView, TopItemsView

FirstDay = Annotated[
    date | None,
    QueryParameter(description="First day, on each location's clock (default: 30 days, 7 by hour)"),
]
LastDay = Annotated[
    date | None,
    QueryParameter(
        description="Last day, included (default: today in UTC): at most 400 days, 31 by hour"
    ),
]
BucketParam = Annotated[Bucket, QueryParameter(description="Figures per local hour, day or week")]
TopLimit = Annotated[int, QueryParameter(ge=1, le=MAX_TOP_ITEMS, description="How many items")]


class AnalyticsController(Controller):
    """Trading figures of one truck or the fleet (owners and admins any truck, managers
    theirs), by local hour, day or week (docs/analytics.md)."""

    path = "/api/v1/analytics"
    tags = ("analytics",)
    security = BEARER

    @get(
        "/figures",
        operation_id="getAnalyticsFigures",
        summary="Orders, sales, prep and wait times, refusals, sold-out time and "
        "cancellation and refund rates, per local hour, day or week",
        responses=problem_responses(400, 401, 403, 404, 422),
    )
    async def figures(
        self,
        *,
        principal: CurrentPrincipal,
        view_fleet_analytics: UseCase[ViewFleetAnalytics],
        from_date: FirstDay = None,
        to_date: LastDay = None,
        bucket: BucketParam = Bucket.DAY,
        truck_id: TruckId = None,
    ) -> AnalyticsView:
        request = FleetAnalyticsRequest(
            first=from_date, last=to_date, bucket=bucket, truck_id=truck_id
        )
        return AnalyticsView.of(await view_fleet_analytics.execute(principal, request), truck_id)

    @get(
        "/top-items",
        operation_id="getAnalyticsTopItems",
        summary="The items most sold over some days (orders not cancelled)",
        responses=problem_responses(400, 401, 403, 404, 422),
    )
    async def top_items(
        self,
        *,
        principal: CurrentPrincipal,
        view_top_items: UseCase[ViewTopItems],
        from_date: FirstDay = None,
        to_date: LastDay = None,
        truck_id: TruckId = None,
        limit: TopLimit = 10,
    ) -> TopItemsView:
        request = TopItemsRequest(first=from_date, last=to_date, truck_id=truck_id, limit=limit)
        return TopItemsView.of(await view_top_items.execute(principal, request), truck_id)
