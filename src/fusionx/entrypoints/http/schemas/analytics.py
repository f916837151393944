"""Fleet analytics on the wire: money in cents, durations in seconds, days local."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec

from fusionx.core.model.analytics import (
    AnalyticsReport,
    Bucket,
    BucketFigures,
    ReasonRate,
    TopItems,
)
from fusionx.core.model.cancellations import CancelReason
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime
from fusionx.entrypoints.http.schemas.summary import BestSellerView


class ReasonRateView(msgspec.Struct, frozen=True, kw_only=True):
    """Orders cancelled (or refunded) for ``reason``, their money, and their share of
    the bucket's orders (0 to 1)."""

    reason: CancelReason
    orders: int
    cents: int
    rate: float

    @classmethod
    def of(cls, rate: ReasonRate) -> ReasonRateView:
        return cls(reason=rate.reason, orders=rate.orders, cents=rate.cents, rate=rate.rate)


class BucketView(msgspec.Struct, frozen=True, kw_only=True):
    """One local hour, day or week (``day`` its Monday; ``hour`` 0 to 23, by hour only)."""

    day: date
    hour: int | None
    orders: int
    gross_cents: int
    net_cents: int
    average_ticket_cents: int | None
    prep_p50_seconds: float | None
    prep_p90_seconds: float | None
    wait_p50_seconds: float | None
    wait_p90_seconds: float | None
    throttle_refusals: int
    sold_outs: int
    sold_out_seconds: int
    cancellations: list[ReasonRateView]
    refunds: list[ReasonRateView]

    @classmethod
    def of(cls, b: BucketFigures) -> BucketView:
        return cls(
            day=b.day,
            hour=b.hour,
            orders=b.orders,
            gross_cents=b.gross_cents,
            net_cents=b.net_cents,
            average_ticket_cents=b.average_ticket_cents,
            prep_p50_seconds=b.prep_p50_seconds,
            prep_p90_seconds=b.prep_p90_seconds,
            wait_p50_seconds=b.wait_p50_seconds,
            wait_p90_seconds=b.wait_p90_seconds,
            throttle_refusals=b.throttle_refusals,
            sold_outs=b.sold_outs,
            sold_out_seconds=b.sold_out_seconds,
            cancellations=[ReasonRateView.of(rate) for rate in b.cancellations],
            refunds=[ReasonRateView.of(rate) for rate in b.refunds],
        )


class AnalyticsView(msgspec.Struct, frozen=True, kw_only=True):
    """``truck_id`` null for the fleet (a manager's: their trucks). Buckets without
    trading are left out; at most 400 day buckets or 744 hour buckets."""

    truck_id: UUID | None
    from_date: date
    to_date: date
    bucket: Bucket
    buckets: list[BucketView]
    as_of: UtcDateTime

    @classmethod
    def of(cls, report: AnalyticsReport, truck_id: UUID | None) -> AnalyticsView:
        return cls(
            truck_id=truck_id,
            from_date=report.range.first,
            to_date=report.range.last,
            bucket=report.range.bucket,
            buckets=[BucketView.of(bucket) for bucket in report.buckets],
            as_of=report.as_of,
        )


class TopItemsView(msgspec.Struct, frozen=True, kw_only=True):
    truck_id: UUID | None
    from_date: date
    to_date: date
    items: list[BestSellerView]

    @classmethod
    def of(cls, top: TopItems, truck_id: UUID | None) -> TopItemsView:
        return cls(
            truck_id=truck_id,
            from_date=top.first,
            to_date=top.last,
            items=[BestSellerView.of(item) for item in top.items],
        )
