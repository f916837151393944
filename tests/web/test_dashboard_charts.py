"""The dashboard's week: every day of the range shown, a day without orders as none."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fusionx.core.model.history import DayRange, ShiftRecord
from fusionx.core.model.shifts import ShiftState
from fusionx.entrypoints.web.dashboard_charts import week_of_fleet
from tests.support.entities import new_id


def _record(day: int, orders: int) -> ShiftRecord:
    return ShiftRecord(
        id=new_id(),
        truck_id=new_id(),
        location_id=new_id(),
        state=ShiftState.CLOSED,
        opened_at=datetime(2026, 3, day, 11, tzinfo=UTC),
        closed_at=None,
        orders=orders,
        gross_cents=0,
    )


def test_the_week_has_every_day_once_with_its_orders_summed():
    days = DayRange(first=date(2026, 3, 2), last=date(2026, 3, 8))

    week = week_of_fleet([_record(3, 4), _record(3, 2), _record(7, 5)], days)

    assert len(week.x) == 7
    assert week.x[0] == int(datetime(2026, 3, 2, tzinfo=UTC).timestamp())
    assert week.series[0].values == [0, 6, 0, 0, 0, 5, 0]


def test_a_week_without_shifts_is_empty():
    assert week_of_fleet([], DayRange(first=date(2026, 3, 2), last=date(2026, 3, 8))).empty
