"""A shift's summary on the wire."""

from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.cancellations import CancelReason, ReasonTotal
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.summary import BestSeller, DurationStats, OrderBucket
from fusionx.core.model.tickets import TicketState
from fusionx.core.use_cases.queries.summarize_shift import ShiftSummary
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime


class DurationView(msgspec.Struct, frozen=True, kw_only=True):
    count: int
    average_seconds: float | None
    p90_seconds: float | None

    @classmethod
    def of(cls, stats: DurationStats) -> DurationView:
        return cls(
            count=stats.count, average_seconds=stats.average_seconds, p90_seconds=stats.p90_seconds
        )


class BucketView(msgspec.Struct, frozen=True, kw_only=True):
    starts_at: UtcDateTime
    orders: int

    @classmethod
    def of(cls, bucket: OrderBucket) -> BucketView:
        return cls(starts_at=bucket.starts_at, orders=bucket.orders)


class BestSellerView(msgspec.Struct, frozen=True, kw_only=True):
    item_id: UUID
    name: str
    quantity: int
    sales_cents: int

    @classmethod
    def of(cls, seller: BestSeller) -> BestSellerView:
        return cls(
            item_id=seller.item_id,
            name=seller.name,
            quantity=seller.quantity,
            sales_cents=seller.sales_cents,
        )


class ReasonTotalView(msgspec.Struct, frozen=True, kw_only=True):
    """Cancellations or refunds giving ``reason``: how many, and what they came to."""

    reason: CancelReason
    count: int
    amount_cents: int

    @classmethod
    def of(cls, total: ReasonTotal) -> ReasonTotalView:
        return cls(reason=total.reason, count=total.count, amount_cents=total.amount_cents)


class ShiftSummaryView(msgspec.Struct, frozen=True, kw_only=True):
    """Live while the shift is open (``final`` false, as of ``as_of``), final once closed.

    ``orders_by_state`` has every ticket state. Cancelled orders are in ``orders``, the
    states and the buckets, and out of ``net_cents`` and ``best_sellers``. ``net_cents``
    is ``gross_cents - cancelled_cents - refunded_cents``: ``refunded_cents`` is what
    succeeded refunds gave back on orders not cancelled. Prep runs
    from in prep to ready, wait from the order to ready.
    """

    shift_id: UUID
    state: ShiftState
    final: bool
    as_of: UtcDateTime
    orders: int
    orders_by_state: dict[TicketState, int]
    gross_cents: int
    cancelled_cents: int
    refunded_cents: int
    net_cents: int
    prep_time: DurationView
    wait_time: DurationView
    bucket_minutes: int
    orders_per_bucket: list[BucketView]
    best_sellers: list[BestSellerView]
    cancellations_by_reason: list[ReasonTotalView]
    refunds_by_reason: list[ReasonTotalView]

    @classmethod
    def of(cls, summary: ShiftSummary) -> ShiftSummaryView:
        figures = summary.figures
        return cls(
            shift_id=summary.shift.id,
            state=summary.shift.state,
            final=summary.final,
            as_of=summary.as_of,
            orders=figures.orders,
            orders_by_state={state: figures.by_state.get(state, 0) for state in TicketState},
            gross_cents=figures.gross_cents,
            cancelled_cents=figures.cancelled_cents,
            refunded_cents=figures.refunded_cents,
            net_cents=figures.net_cents,
            prep_time=DurationView.of(figures.prep),
            wait_time=DurationView.of(figures.wait),
            bucket_minutes=summary.bucket_minutes,
            orders_per_bucket=[BucketView.of(bucket) for bucket in figures.buckets],
            best_sellers=[BestSellerView.of(seller) for seller in figures.best_sellers],
            cancellations_by_reason=[ReasonTotalView.of(t) for t in summary.cancellations],
            refunds_by_reason=[ReasonTotalView.of(t) for t in summary.refunds],
        )
