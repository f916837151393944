"""The analytics figures' own rules: histogram bins and their percentiles, local hours
across time zones and clock changes, sold-out periods from the stock ledger."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusionx.core.errors import InvalidInput
from fusionx.core.model.analytics import AnalyticsRange, Bucket, LocalHour, default_days
from fusionx.core.model.analytics_facts import MovementFact, OrderFact, ShiftFacts
from fusionx.core.rules.analytics import (
    LAST_BIN,
    bin_bounds,
    bin_of,
    percentile_of,
    roll_up,
    sold_out_periods,
)
from fusionx.core.rules.statistics import percentile_cont

PARIS = ZoneInfo("Europe/Paris")
ITEM = uuid4()


@given(st.floats(min_value=0, max_value=20_000, allow_nan=False))
def test_a_duration_falls_in_its_bin(seconds: float) -> None:
    low, high = bin_bounds(bin_of(seconds))
    assert low <= seconds < high or (bin_of(seconds) == LAST_BIN and seconds >= low)


@given(st.lists(st.floats(min_value=0, max_value=3 * 3600, allow_nan=False), min_size=1))
def test_a_percentile_of_the_histogram_is_exact_to_the_bin(durations: list[float]) -> None:
    histogram: dict[int, int] = {}
    for seconds in durations:
        histogram[bin_of(seconds)] = histogram.get(bin_of(seconds), 0) + 1
    ordered = sorted(durations)
    for fraction in (0.5, 0.9):
        exact = percentile_cont(ordered, fraction)
        assert exact is not None
        approximate = percentile_of(histogram, fraction)
        assert approximate is not None
        widest = max(high - low for low, high in map(bin_bounds, histogram))
        assert abs(approximate - exact) <= widest + 0.001


def test_no_tickets_have_no_percentile() -> None:
    assert percentile_of({}, 0.5) is None


def _facts(zone: str, *movements: MovementFact, ends_at: datetime) -> ShiftFacts:
    return ShiftFacts(
        shift_id=uuid4(), truck_id=uuid4(), zone=zone, ends_at=ends_at, movements=movements
    )


def test_sold_out_time_is_split_by_local_hour_across_the_fall_back() -> None:
    # 01:30 to 03:30 in Paris on the night the clocks go back: three hours, of which the
    # two 02 o'clock hours make one local hour.
    out = datetime(2026, 10, 24, 23, 30, tzinfo=UTC)
    back = datetime(2026, 10, 25, 2, 30, tzinfo=UTC)
    facts = _facts(
        "Europe/Paris",
        MovementFact(ITEM, out - timedelta(hours=1), 5, 5),
        MovementFact(ITEM, out, 0, -5),
        MovementFact(ITEM, back, 2, 2),
        ends_at=back + timedelta(hours=5),
    )
    hours = roll_up(facts).hours
    day = date(2026, 10, 25)
    assert {at.hour: f.sold_out_seconds for at, f in hours.items() if f.sold_out_seconds} == {
        1: 1800,
        2: 7200,
        3: 1800,
    }
    assert hours[LocalHour(day, 1)].sold_outs == 1


def test_half_hour_zones_split_on_their_own_hours() -> None:
    out = datetime(2026, 3, 10, 9, 45, tzinfo=UTC)  # 15:15 in Kolkata
    facts = _facts("Asia/Kolkata", MovementFact(ITEM, out, 0, -3), ends_at=out + timedelta(hours=1))
    hours = roll_up(facts).hours
    assert {at.hour: f.sold_out_seconds for at, f in hours.items()} == {15: 2700, 16: 900}


def test_a_sold_out_item_put_back_to_zero_again_is_one_period_each_time() -> None:
    at = datetime(2026, 3, 10, 12, tzinfo=UTC)
    ledger = [
        MovementFact(ITEM, at, 0, -1),
        MovementFact(ITEM, at + timedelta(minutes=10), 0, 0),  # a count that finds none
        MovementFact(ITEM, at + timedelta(minutes=20), 4, 4),
        MovementFact(ITEM, at + timedelta(minutes=30), 0, -4),
    ]
    end = at + timedelta(hours=1)
    assert sold_out_periods(ledger, end) == [
        (at, at + timedelta(minutes=20)),
        (at + timedelta(minutes=30), end),
    ]


def test_orders_count_on_the_local_day_of_their_location() -> None:
    late = datetime(2026, 3, 10, 23, 30, tzinfo=PARIS).astimezone(UTC)  # 22:30 UTC
    facts = ShiftFacts(
        shift_id=uuid4(),
        truck_id=uuid4(),
        zone="Europe/Paris",
        ends_at=late,
        orders=(OrderFact(created_at=late, total_cents=1250, cancelled=False),),
    )
    [(at, figures)] = roll_up(facts).hours.items()
    assert (at, figures.orders, figures.gross_cents) == (LocalHour(date(2026, 3, 10), 23), 1, 1250)


@pytest.mark.parametrize(
    ("first", "last", "bucket"),
    [
        (date(2026, 1, 2), date(2026, 1, 1), Bucket.DAY),
        (date(2025, 1, 1), date(2026, 2, 5), Bucket.WEEK),
        (date(2026, 1, 1), date(2026, 2, 1), Bucket.HOUR),
    ],
)
def test_a_range_backwards_or_too_long_names_its_end(
    first: date, last: date, bucket: Bucket
) -> None:
    with pytest.raises(InvalidInput) as refused:
        AnalyticsRange(first=first, last=last, bucket=bucket)
    assert refused.value.field == "to_date"


def test_the_widest_ranges_are_allowed_and_defaults_end_today() -> None:
    AnalyticsRange(first=date(2025, 1, 1), last=date(2026, 2, 4), bucket=Bucket.WEEK)
    AnalyticsRange(first=date(2026, 1, 1), last=date(2026, 1, 31), bucket=Bucket.HOUR)
    today = date(2026, 3, 10)
    assert default_days(None, None, Bucket.DAY, today) == (date(2026, 2, 9), today)
    assert default_days(None, None, Bucket.HOUR, today) == (date(2026, 3, 4), today)
