"""Fleet analytics: trading figures per truck or fleet-wide, by local hour, day or week.

Every figure belongs to a *local hour*: the hour, on the clock of the location where the
shift traded, in which the order was placed (a sold-out period or a throttle refusal: in
which it happened). Days and weeks (Monday first) are read on that same clock, as the
history reads its days, so a Paris truck's 23:30 order is on that Paris day. Where a
zone's clock falls back, its repeated hour is one hour of the figures.

What one shift adds to a local hour is a ``HourFigures`` (plus its prep and wait time
histograms, reasons and items): the rollup stores exactly these, per shift, and a
query adds them up (``rules/analytics.py``).
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from uuid import UUID

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.history import LAST_DAY_FIELD
from fusionx.core.model.summary import BestSeller

# The widest range a query may cover, in days, and the widest an hourly one may.
MAX_RANGE_DAYS = 400
MAX_HOURLY_RANGE_DAYS = 31
# The days a range covers when not told, by hour and otherwise: up to the day in UTC.
DEFAULT_HOURLY_DAYS = 7
DEFAULT_DAYS = 30
# The most items ``top_items`` names.
MAX_TOP_ITEMS = 50


class Bucket(enum.StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"


class ReasonKind(enum.StrEnum):
    CANCELLATION = "cancellation"
    REFUND = "refund"


def default_days(
    first: date | None, last: date | None, bucket: Bucket, today: date
) -> tuple[date, date]:
    """The range asked for; without ``last``, up to ``today``; without ``first``, the
    week (by hour) or 30 days (by day or week) ending on ``last``."""
    last = last or today
    days = DEFAULT_HOURLY_DAYS if bucket is Bucket.HOUR else DEFAULT_DAYS
    return first or last - timedelta(days=days - 1), last


class AnalyticsRange(msgspec.Struct, frozen=True, kw_only=True):
    """Local days ``first`` to ``last``, both included, bounded (``MAX_RANGE_DAYS``;
    ``MAX_HOURLY_RANGE_DAYS`` by hour); a bad one is an ``InvalidInput`` naming it."""

    first: date
    last: date
    bucket: Bucket = Bucket.DAY

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidInput(LAST_DAY_FIELD, Message("analytics.days_reversed"))
        days = (self.last - self.first).days + 1
        widest = MAX_HOURLY_RANGE_DAYS if self.bucket is Bucket.HOUR else MAX_RANGE_DAYS
        if days > widest:
            raise InvalidInput(
                LAST_DAY_FIELD, Message("analytics.range_too_wide", {"days": widest})
            )


class HourFigures(msgspec.Struct, kw_only=True):
    """What some shifts traded in one local hour (or a bucket of them: they add up).

    ``orders`` and ``gross_cents`` count every order with a ticket, cancelled ones
    included; ``cancelled_cents`` is the cancelled orders' totals, ``refunded_cents``
    what succeeded refunds gave back on orders not cancelled (net sales follow
    ``summary.net_sales_cents``). ``sold_out_seconds`` adds up how long each
    item was sold out inside the hour; ``sold_outs`` counts items that ran out in it."""

    orders: int = 0
    gross_cents: int = 0
    cancelled_orders: int = 0
    cancelled_cents: int = 0
    refunded_orders: int = 0
    refunded_cents: int = 0
    sold_outs: int = 0
    sold_out_seconds: int = 0
    throttle_refusals: int = 0

    def add(self, other: HourFigures) -> None:
        for field in self.__struct_fields__:
            setattr(self, field, getattr(self, field) + getattr(other, field))


class LocalHour(msgspec.Struct, frozen=True, order=True):
    day: date
    hour: int


class ShiftRollup(msgspec.Struct, frozen=True, kw_only=True):
    """One shift's figures by local hour: what the rollup tables hold for it.
    Histograms map a bin (``rules.analytics.bin_of``) to a count of tickets."""

    shift_id: UUID
    truck_id: UUID
    hours: dict[LocalHour, HourFigures]
    prep: dict[LocalHour, dict[int, int]]
    wait: dict[LocalHour, dict[int, int]]
    # (kind, reason) -> [orders, cents]
    reasons: dict[LocalHour, dict[tuple[ReasonKind, CancelReason], tuple[int, int]]]
    # item_id -> (name, quantity, sales_cents), by local day
    items: dict[date, dict[UUID, tuple[str, int, int]]]


class ReasonRate(msgspec.Struct, frozen=True, kw_only=True):
    """Orders cancelled (or refunded) for ``reason``, their money, and their share of
    the bucket's orders (0 to 1)."""

    reason: CancelReason
    orders: int
    cents: int
    rate: float


class BucketFigures(msgspec.Struct, frozen=True, kw_only=True):
    """One bucket: ``day`` is the local day (a week's Monday); ``hour`` is set by hour.
    Durations are seconds, percentiles from 15-second bins (exact to the bin)."""

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
    cancellations: tuple[ReasonRate, ...]
    refunds: tuple[ReasonRate, ...]


class AnalyticsReport(msgspec.Struct, frozen=True, kw_only=True):
    """The buckets of the range that saw any trading, in order; ``trucks`` None for
    the whole fleet."""

    trucks: frozenset[UUID] | None
    range: AnalyticsRange
    buckets: tuple[BucketFigures, ...]
    as_of: datetime


class TopItems(msgspec.Struct, frozen=True, kw_only=True):
    trucks: frozenset[UUID] | None
    first: date
    last: date
    items: tuple[BestSeller, ...]
