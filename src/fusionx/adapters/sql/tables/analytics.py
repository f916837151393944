"""The analytics rollup: each closed shift's figures by local hour (docs/analytics.md).

Every row belongs to one shift and is rewritten whole with it, so a rollup row never
mixes shifts the job saw at different times. ``analytics_shifts`` says which event
log number (``shifts.last_seq``) a shift's rows were computed at: a shift whose log
has moved on since (a refund days later) is read from its base rows until rolled again.
``day``, ``week`` (its Monday) and ``hour`` are on the clock of the shift's location.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase

# What the fleet-wide day and week sums read besides ``day``: on PostgreSQL the ``(day)``
# indexes include them, so the sums are index-only scans instead of a heap fetch a row.
DAY_COLUMNS = (
    "shift_id",
    "week",
    "orders",
    "gross_cents",
    "cancelled_orders",
    "cancelled_cents",
    "refunded_orders",
    "refunded_cents",
    "sold_outs",
    "sold_out_seconds",
    "throttle_refusals",
)
DAY_DURATION_COLUMNS = ("shift_id", "week", "bin", "prep", "wait")


def _shift_key() -> Mapped[UUID]:
    return mapped_column(GUID(), ForeignKey("shifts.id", ondelete="CASCADE"), primary_key=True)


class AnalyticsShiftRow(SqlBase):
    __tablename__ = "analytics_shifts"

    shift_id: Mapped[UUID] = _shift_key()
    seq: Mapped[int] = mapped_column(Integer())
    rolled_at: Mapped[datetime] = mapped_column(DateTimeUTC())


class AnalyticsHourRow(SqlBase):
    __tablename__ = "analytics_hours"
    __table_args__ = (
        Index("ix_analytics_hours_day", "day"),
        Index("ix_analytics_hours_truck_id_day", "truck_id", "day"),
    )

    shift_id: Mapped[UUID] = _shift_key()
    day: Mapped[date] = mapped_column(Date(), primary_key=True)
    hour: Mapped[int] = mapped_column(SmallInteger(), primary_key=True)
    week: Mapped[date] = mapped_column(Date())
    truck_id: Mapped[UUID] = mapped_column(GUID())
    orders: Mapped[int] = mapped_column(Integer())
    gross_cents: Mapped[int] = mapped_column(BigInteger())
    cancelled_orders: Mapped[int] = mapped_column(Integer())
    cancelled_cents: Mapped[int] = mapped_column(BigInteger())
    refunded_orders: Mapped[int] = mapped_column(Integer())
    refunded_cents: Mapped[int] = mapped_column(BigInteger())
    sold_outs: Mapped[int] = mapped_column(Integer())
    sold_out_seconds: Mapped[int] = mapped_column(BigInteger())
    throttle_refusals: Mapped[int] = mapped_column(Integer())


class AnalyticsDayRow(SqlBase):
    """The same figures by local day: what days and weeks read, a tenth of the rows.

    Written with the hour rows (their sums), so the two levels always agree. On
    PostgreSQL the day index covers every column the sums read (an index-only scan)."""

    __tablename__ = "analytics_days"
    __table_args__ = (
        Index("ix_analytics_days_day", "day", postgresql_include=list(DAY_COLUMNS)),
        Index("ix_analytics_days_truck_id_day", "truck_id", "day"),
    )

    shift_id: Mapped[UUID] = _shift_key()
    day: Mapped[date] = mapped_column(Date(), primary_key=True)
    week: Mapped[date] = mapped_column(Date())
    truck_id: Mapped[UUID] = mapped_column(GUID())
    orders: Mapped[int] = mapped_column(Integer())
    gross_cents: Mapped[int] = mapped_column(BigInteger())
    cancelled_orders: Mapped[int] = mapped_column(Integer())
    cancelled_cents: Mapped[int] = mapped_column(BigInteger())
    refunded_orders: Mapped[int] = mapped_column(Integer())
    refunded_cents: Mapped[int] = mapped_column(BigInteger())
    sold_outs: Mapped[int] = mapped_column(Integer())
    sold_out_seconds: Mapped[int] = mapped_column(BigInteger())
    throttle_refusals: Mapped[int] = mapped_column(Integer())


class AnalyticsHourDurationRow(SqlBase):
    """Prep and wait time histograms by local hour: tickets per bin (``rules.analytics``)."""

    __tablename__ = "analytics_hour_durations"
    __table_args__ = (
        Index("ix_analytics_hour_durations_day", "day"),
        Index("ix_analytics_hour_durations_truck_id_day", "truck_id", "day"),
    )

    shift_id: Mapped[UUID] = _shift_key()
    day: Mapped[date] = mapped_column(Date(), primary_key=True)
    hour: Mapped[int] = mapped_column(SmallInteger(), primary_key=True)
    bin: Mapped[int] = mapped_column(SmallInteger(), primary_key=True)
    truck_id: Mapped[UUID] = mapped_column(GUID())
    prep: Mapped[int] = mapped_column(Integer())
    wait: Mapped[int] = mapped_column(Integer())


class AnalyticsDayDurationRow(SqlBase):
    """The same histograms by local day: what days and weeks read, a tenth of the rows."""

    __tablename__ = "analytics_day_durations"
    __table_args__ = (
        Index(
            "ix_analytics_day_durations_day",
            "day",
            postgresql_include=list(DAY_DURATION_COLUMNS),
        ),
        Index("ix_analytics_day_durations_truck_id_day", "truck_id", "day"),
    )

    shift_id: Mapped[UUID] = _shift_key()
    day: Mapped[date] = mapped_column(Date(), primary_key=True)
    bin: Mapped[int] = mapped_column(SmallInteger(), primary_key=True)
    week: Mapped[date] = mapped_column(Date())
    truck_id: Mapped[UUID] = mapped_column(GUID())
    prep: Mapped[int] = mapped_column(Integer())
    wait: Mapped[int] = mapped_column(Integer())


class AnalyticsReasonRow(SqlBase):
    __tablename__ = "analytics_reasons"
    __table_args__ = (
        Index("ix_analytics_reasons_day", "day"),
        Index("ix_analytics_reasons_truck_id_day", "truck_id", "day"),
    )

    shift_id: Mapped[UUID] = _shift_key()
    day: Mapped[date] = mapped_column(Date(), primary_key=True)
    hour: Mapped[int] = mapped_column(SmallInteger(), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    reason: Mapped[str] = mapped_column(String(32), primary_key=True)
    week: Mapped[date] = mapped_column(Date())
    truck_id: Mapped[UUID] = mapped_column(GUID())
    orders: Mapped[int] = mapped_column(Integer())
    cents: Mapped[int] = mapped_column(BigInteger())


class AnalyticsItemRow(SqlBase):
    """Items sold on orders not cancelled, by local day."""

    __tablename__ = "analytics_items"
    __table_args__ = (
        Index("ix_analytics_items_day", "day"),
        Index("ix_analytics_items_truck_id_day", "truck_id", "day"),
    )

    shift_id: Mapped[UUID] = _shift_key()
    day: Mapped[date] = mapped_column(Date(), primary_key=True)
    item_id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    truck_id: Mapped[UUID] = mapped_column(GUID())
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer())
    sales_cents: Mapped[int] = mapped_column(BigInteger())


class ThrottleRefusalRow(SqlBase):
    """Orders the throttle turned away, counted per shift and UTC quarter hour (the
    refusal itself rolls back with its order; ``PlaceOrder`` counts it after)."""

    __tablename__ = "throttle_refusals"

    shift_id: Mapped[UUID] = _shift_key()
    quarter: Mapped[datetime] = mapped_column(DateTimeUTC(), primary_key=True)
    refusals: Mapped[int] = mapped_column(Integer())


class AnalyticsFleetDayDurationRow(SqlBase):
    """The whole fleet's histograms by local day: the day rows of every rolled-up shift,
    summed (a year is a few thousand rows for the hundreds of thousands of day rows).

    Fleet-wide days and weeks read it, less the day rows of the shifts read from their
    rows instead (in the same statement, so one snapshot). The roll-up job recomputes a
    day's rows from the day rows, in the transaction that changes them."""

    __tablename__ = "analytics_fleet_day_durations"

    day: Mapped[date] = mapped_column(Date(), primary_key=True)
    bin: Mapped[int] = mapped_column(SmallInteger(), primary_key=True)
    week: Mapped[date] = mapped_column(Date())
    prep: Mapped[int] = mapped_column(Integer())
    wait: Mapped[int] = mapped_column(Integer())


class AnalyticsFleetDayReasonRow(SqlBase):
    """The whole fleet's cancellation and refund reasons by local day, kept as
    ``AnalyticsFleetDayDurationRow`` is."""

    __tablename__ = "analytics_fleet_day_reasons"

    day: Mapped[date] = mapped_column(Date(), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    reason: Mapped[str] = mapped_column(String(32), primary_key=True)
    week: Mapped[date] = mapped_column(Date())
    orders: Mapped[int] = mapped_column(Integer())
    cents: Mapped[int] = mapped_column(BigInteger())


class AnalyticsFleetDayItemRow(SqlBase):
    """The whole fleet's item sales by local day, kept as ``AnalyticsFleetDayDurationRow``
    is: what the fleet's top items read."""

    __tablename__ = "analytics_fleet_day_items"

    day: Mapped[date] = mapped_column(Date(), primary_key=True)
    item_id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer())
    sales_cents: Mapped[int] = mapped_column(BigInteger())
