"""The dashboard's charts as data for ``static/dashboard.js`` (uPlot): times in Unix
seconds, one value per point, ``None`` where there is none.

Built from the shift summary and the shift history the API already has. When the
reporting routes exist, their per-day and per-hour series replace ``week_of_truck``
and ``week_of_fleet`` here, and nothing in the templates or the script changes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

import msgspec

from fusionx.core.model.history import DayRange, ShiftRecord
from fusionx.core.use_cases.queries.summarize_shift import ShiftSummary


class Series(msgspec.Struct, frozen=True, kw_only=True):
    key: str  # which label, colour and scale the script gives it: "orders" or "wait"
    values: list[float | None]


class Chart(msgspec.Struct, frozen=True, kw_only=True):
    unit: str  # "minute" or "day": how the script labels the time axis
    x: list[int]
    series: list[Series]

    @property
    def empty(self) -> bool:
        return not self.x

    def data(self) -> dict[str, object]:
        """For the page's ``data-chart`` attribute (JSON)."""
        return {"unit": self.unit, "x": self.x, "series": msgspec.to_builtins(self.series)}


def day_of_shift(summary: ShiftSummary) -> Chart:
    """Orders per 15 minutes of one shift, first order to last."""
    buckets = summary.figures.buckets
    return Chart(
        unit="minute",
        x=[int(bucket.starts_at.timestamp()) for bucket in buckets],
        series=[Series(key="orders", values=[bucket.orders for bucket in buckets])],
    )


def week_of_truck(
    records: list[ShiftRecord], summaries: list[ShiftSummary], days: DayRange
) -> Chart:
    """Orders per day and the average wait (minutes) of the day's tickets, every day of
    ``days`` shown, a day without orders as none."""
    orders = _orders_by_day(records, days)
    waits: dict[date, tuple[float, int]] = defaultdict(lambda: (0.0, 0))
    for summary in summaries:
        wait = summary.figures.wait
        if wait.average_seconds is not None and wait.count:
            day = summary.shift.opened_at.astimezone(UTC).date()
            total, count = waits[day]
            waits[day] = (total + wait.average_seconds * wait.count, count + wait.count)
    return Chart(
        unit="day",
        x=[_midnight(day) for day in orders],
        series=[
            Series(key="orders", values=list(orders.values())),
            Series(key="wait", values=[_average_minutes(waits.get(day)) for day in orders]),
        ],
    )


def week_of_fleet(records: list[ShiftRecord], days: DayRange) -> Chart:
    """Orders per day across the trucks the caller sees, every day of ``days``."""
    orders = _orders_by_day(records, days)
    return Chart(
        unit="day",
        x=[_midnight(day) for day in orders],
        series=[Series(key="orders", values=list(orders.values()))],
    )


def _orders_by_day(records: list[ShiftRecord], days: DayRange) -> dict[date, float | None]:
    """Each day of ``days`` in order (both ends given), with its shifts' orders; a
    shift counts on the day it opened."""
    if not records:
        return {}
    counted: dict[date, int] = defaultdict(int)
    for record in records:
        counted[record.opened_at.astimezone(UTC).date()] += record.orders
    first = days.first or min(counted)
    last = days.last or max(counted)
    return {
        first + timedelta(days=n): counted.get(first + timedelta(days=n), 0)
        for n in range((last - first).days + 1)
    }


def _midnight(day: date) -> int:
    return int(datetime.combine(day, time(), tzinfo=UTC).timestamp())


def _average_minutes(total: tuple[float, int] | None) -> float | None:
    if total is None or not total[1]:
        return None
    return round(total[0] / total[1] / 60, 1)
