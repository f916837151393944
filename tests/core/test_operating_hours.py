"""Operating hours: open at an instant, a date's intervals as UTC, DST days, midnight
crossings and dated exceptions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusionx.core.model.hours import (
    DatedHours,
    Interval,
    OpenInterval,
    OperatingHours,
    WeeklyInterval,
)

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
# 2026 in Paris: clocks go 02:00 -> 03:00 on Sunday 29 March, 03:00 -> 02:00 on Sunday
# 25 October. In New York: 8 March and 1 November.
SPRING_FORWARD = date(2026, 3, 29)
FALL_BACK = date(2026, 10, 25)
SUNDAY, MONDAY, FRIDAY, SATURDAY = 7, 1, 5, 6
# Hypothesis bounds its draws with naive datetimes, and gives them ``timezones``.
NAIVE_START = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
NAIVE_END = datetime(2027, 12, 31, tzinfo=UTC).replace(tzinfo=None)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def weekly(day: int, opens: str, closes: str, *, overnight: bool = False) -> WeeklyInterval:
    return WeeklyInterval(
        day=day,
        opens=time.fromisoformat(opens),
        closes=time.fromisoformat(closes),
        overnight=overnight,
    )


def interval(opens: str, closes: str, *, overnight: bool = False) -> Interval:
    return Interval(
        opens=time.fromisoformat(opens), closes=time.fromisoformat(closes), overnight=overnight
    )


EVERY_DAY_9_TO_17 = OperatingHours(weekly=tuple(weekly(d, "09:00", "17:00") for d in range(1, 8)))


def test_no_hours_set_restrict_nothing() -> None:
    assert OperatingHours().is_open(utc(2026, 1, 1, 3), PARIS)
    assert OperatingHours().open_on(date(2026, 1, 1), PARIS) == []


def test_open_inside_an_interval_and_closed_at_its_end() -> None:
    hours = EVERY_DAY_9_TO_17  # Paris is UTC+1 in January
    assert not hours.is_open(utc(2026, 1, 5, 7, 59), PARIS)
    assert hours.is_open(utc(2026, 1, 5, 8, 0), PARIS)
    assert hours.is_open(utc(2026, 1, 5, 15, 59), PARIS)
    assert not hours.is_open(utc(2026, 1, 5, 16, 0), PARIS)


def test_several_intervals_a_day() -> None:
    hours = OperatingHours(
        weekly=(weekly(MONDAY, "11:00", "14:00"), weekly(MONDAY, "18:00", "22:00"))
    )
    monday = date(2026, 1, 5)
    assert hours.open_on(monday, PARIS) == [
        OpenInterval(opens_at=utc(2026, 1, 5, 10), closes_at=utc(2026, 1, 5, 13)),
        OpenInterval(opens_at=utc(2026, 1, 5, 17), closes_at=utc(2026, 1, 5, 21)),
    ]
    assert not hours.is_open(utc(2026, 1, 5, 15), PARIS)


def test_an_overnight_interval_is_open_after_midnight_into_the_next_day() -> None:
    hours = OperatingHours(weekly=(weekly(FRIDAY, "22:00", "02:00", overnight=True),))
    assert hours.is_open(utc(2026, 1, 9, 21, 30), PARIS)  # Friday 22:30
    assert hours.is_open(utc(2026, 1, 10, 0, 30), PARIS)  # Saturday 01:30
    assert not hours.is_open(utc(2026, 1, 10, 1, 0), PARIS)  # Saturday 02:00
    # Saturday's intervals include Friday night's, whole, from when it opened.
    assert hours.open_on(date(2026, 1, 10), PARIS) == [
        OpenInterval(opens_at=utc(2026, 1, 9, 21), closes_at=utc(2026, 1, 10, 1))
    ]


def test_sunday_night_runs_into_monday() -> None:
    hours = OperatingHours(weekly=(weekly(SUNDAY, "23:00", "01:00", overnight=True),))
    assert not hours.is_open(utc(2026, 1, 4, 21, 59), PARIS)  # Sunday 22:59
    assert hours.is_open(utc(2026, 1, 4, 22, 0), PARIS)  # Sunday 23:00
    assert hours.is_open(utc(2026, 1, 4, 23, 59), PARIS)  # Monday 00:59
    assert not hours.is_open(utc(2026, 1, 5, 0, 0), PARIS)  # Monday 01:00


def test_a_dated_exception_replaces_the_week_closed_all_day() -> None:
    christmas = date(2026, 12, 25)
    hours = OperatingHours(
        weekly=EVERY_DAY_9_TO_17.weekly, exceptions=(DatedHours(date=christmas),)
    )
    assert hours.open_on(christmas, PARIS) == []
    assert not hours.is_open(utc(2026, 12, 25, 12), PARIS)
    assert hours.is_open(utc(2026, 12, 26, 12), PARIS)


def test_a_dated_exception_with_special_hours() -> None:
    festival = date(2026, 7, 14)
    hours = OperatingHours(
        weekly=EVERY_DAY_9_TO_17.weekly,
        exceptions=(
            DatedHours(date=festival, intervals=(interval("18:00", "03:00", overnight=True),)),
        ),
    )
    assert not hours.is_open(utc(2026, 7, 14, 10), PARIS)  # 12:00 local: not today
    assert hours.is_open(utc(2026, 7, 14, 23), PARIS)  # 01:00 on the 15th, still the event
    assert hours.open_on(festival, PARIS) == [
        OpenInterval(opens_at=utc(2026, 7, 14, 16), closes_at=utc(2026, 7, 15, 1))
    ]


def test_the_spring_forward_day_is_an_hour_shorter() -> None:
    all_day = OperatingHours(weekly=(weekly(SUNDAY, "00:00", "00:00", overnight=True),))
    (span,) = [
        s for s in all_day.open_on(SPRING_FORWARD, PARIS) if s.opens_at.date() >= date(2026, 3, 28)
    ]
    assert span.closes_at - span.opens_at == timedelta(hours=23)
    assert span.opens_at == utc(2026, 3, 28, 23)  # midnight at UTC+1
    assert span.closes_at == utc(2026, 3, 29, 22)  # midnight at UTC+2


def test_a_time_the_spring_forward_skips_opens_when_the_clock_jumps() -> None:
    hours = OperatingHours(weekly=(weekly(SUNDAY, "02:30", "04:00"),))
    (span,) = hours.open_on(SPRING_FORWARD, PARIS)
    assert span.opens_at == utc(2026, 3, 29, 1)  # 03:00 local, UTC+2: the jump
    assert span.closes_at == utc(2026, 3, 29, 2)  # 04:00 local
    assert not hours.is_open(utc(2026, 3, 29, 0, 59), PARIS)
    assert hours.is_open(utc(2026, 3, 29, 1, 0), PARIS)


def test_the_fall_back_day_is_an_hour_longer_and_a_repeated_time_counts_once() -> None:
    all_day = OperatingHours(weekly=(weekly(SUNDAY, "00:00", "00:00", overnight=True),))
    (span,) = all_day.open_on(FALL_BACK, PARIS)
    assert span.closes_at - span.opens_at == timedelta(hours=25)
    # 01:00-02:30 on the night the clock reads 02:00-03:00 twice closes the first time.
    hours = OperatingHours(weekly=(weekly(SUNDAY, "01:00", "02:30"),))
    (night,) = hours.open_on(FALL_BACK, PARIS)
    assert night.opens_at == utc(2026, 10, 24, 23)  # 01:00 at UTC+2
    assert night.closes_at == utc(2026, 10, 25, 0, 30)  # 02:30, first time round (UTC+2)


def test_wall_clock_hours_hold_on_either_side_of_a_change() -> None:
    hours = EVERY_DAY_9_TO_17
    before, after = date(2026, 3, 7), date(2026, 3, 9)  # New York changes on 8 March
    (winter,) = hours.open_on(before, NEW_YORK)
    (summer,) = hours.open_on(after, NEW_YORK)
    assert winter.opens_at.hour == 14  # 09:00 EST
    assert summer.opens_at.hour == 13  # 09:00 EDT


@given(
    instant=st.datetimes(min_value=NAIVE_START, max_value=NAIVE_END, timezones=st.just(UTC)),
    zone=st.sampled_from([PARIS, NEW_YORK, ZoneInfo("Australia/Lord_Howe"), ZoneInfo("UTC")]),
    opens=st.integers(min_value=0, max_value=23),
    length=st.integers(min_value=1, max_value=23),
)
def test_open_exactly_when_the_local_clock_is_inside_the_interval(
    instant: datetime, zone: ZoneInfo, opens: int, length: int
) -> None:
    """On any day, DST or not: open iff the local wall clock reads a time in the
    interval (for an overnight one, in its evening part or its next-morning part)."""
    closes = (opens + length) % 24
    overnight = opens + length >= 24
    hours = OperatingHours(
        weekly=tuple(
            weekly(day, f"{opens:02}:00", f"{closes:02}:00", overnight=overnight)
            for day in range(1, 8)
        )
    )
    local = instant.astimezone(zone)
    if (
        local.dst() != (local - timedelta(hours=3)).dst()
        or local.dst() != (local + timedelta(hours=3)).dst()
    ):
        return  # near a change, the wall clock is not a function of the instant: tested above
    wall = local.hour
    inside = opens <= wall < opens + length if not overnight else wall >= opens or wall < closes
    assert hours.is_open(instant, zone) == inside


@given(
    day=st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)),
    zone=st.sampled_from([PARIS, NEW_YORK, ZoneInfo("Australia/Lord_Howe")]),
)
def test_a_whole_day_lasts_what_the_local_day_lasts(day: date, zone: ZoneInfo) -> None:
    all_day = OperatingHours(
        weekly=tuple(weekly(d, "00:00", "00:00", overnight=True) for d in range(1, 8))
    )
    spans = [s for s in all_day.open_on(day, zone) if s.opens_at.astimezone(zone).date() == day]
    (span,) = spans
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    assert span.closes_at - span.opens_at == end.astimezone(UTC) - start.astimezone(UTC)


def test_today_says_open_now_and_what_opens_later() -> None:
    hours = OperatingHours(
        weekly=(weekly(MONDAY, "11:00", "14:00"), weekly(MONDAY, "18:00", "22:00"))
    )
    lunch = hours.today(utc(2026, 1, 5, 11), PARIS)
    assert lunch.open_now == OpenInterval(
        opens_at=utc(2026, 1, 5, 10), closes_at=utc(2026, 1, 5, 13)
    )
    assert lunch.later == (
        OpenInterval(opens_at=utc(2026, 1, 5, 17), closes_at=utc(2026, 1, 5, 21)),
    )
    afternoon = hours.today(utc(2026, 1, 5, 14), PARIS)
    assert afternoon.open_now is None
    assert len(afternoon.later) == 1
    night = hours.today(utc(2026, 1, 5, 22), PARIS)
    assert night.open_now is None
    assert night.later == ()


@pytest.mark.parametrize(
    ("hours", "field"),
    [
        (OperatingHours(weekly=(weekly(MONDAY, "17:00", "09:00"),)), "weekly[0].closes"),
        (OperatingHours(weekly=(weekly(MONDAY, "09:00", "09:00"),)), "weekly[0].closes"),
        (
            OperatingHours(weekly=(weekly(MONDAY, "09:00", "17:00", overnight=True),)),
            "weekly[0].closes",
        ),
        (OperatingHours(weekly=(weekly(8, "09:00", "17:00"),)), "weekly[0].day"),
        (
            OperatingHours(
                weekly=(weekly(MONDAY, "09:00", "14:00"), weekly(MONDAY, "13:00", "18:00"))
            ),
            "weekly[1].opens",
        ),
        (
            OperatingHours(
                weekly=(
                    weekly(MONDAY, "08:00", "20:00"),
                    weekly(MONDAY, "09:00", "10:00"),
                    weekly(MONDAY, "11:00", "12:00"),
                )
            ),
            "weekly[1].opens weekly[2].opens",
        ),
        (
            OperatingHours(
                weekly=(
                    weekly(MONDAY, "00:30", "03:00"),
                    weekly(SUNDAY, "22:00", "01:00", overnight=True),
                )
            ),
            "weekly[0].opens",
        ),
        (
            OperatingHours(
                weekly=(
                    weekly(SATURDAY, "22:00", "02:00", overnight=True),
                    weekly(SUNDAY, "01:00", "05:00"),
                )
            ),
            "weekly[1].opens",
        ),
        (
            OperatingHours(
                exceptions=(DatedHours(date=date(2026, 1, 1)), DatedHours(date=date(2026, 1, 1)))
            ),
            "exceptions[1].date",
        ),
        (
            OperatingHours(
                exceptions=(
                    DatedHours(
                        date=date(2026, 1, 1),
                        intervals=(interval("10:00", "12:00"), interval("11:00", "13:00")),
                    ),
                )
            ),
            "exceptions[0].intervals[1].opens",
        ),
        (
            OperatingHours(
                exceptions=(
                    DatedHours(date=date(2026, 1, 1), intervals=(interval("12:00", "10:00"),)),
                )
            ),
            "exceptions[0].intervals[0].closes",
        ),
    ],
)
def test_each_mistake_names_its_field(hours: OperatingHours, field: str) -> None:
    """Every field in error is named (space-separated where there are several)."""
    assert [found for found, _ in hours.mistakes()] == field.split()


def test_touching_intervals_and_a_full_week_of_whole_days_are_valid() -> None:
    touching = OperatingHours(
        weekly=(weekly(MONDAY, "09:00", "12:00"), weekly(MONDAY, "12:00", "15:00"))
    )
    whole_week = OperatingHours(
        weekly=tuple(weekly(d, "00:00", "00:00", overnight=True) for d in range(1, 8))
    )
    assert list(touching.mistakes()) == []
    assert list(whole_week.mistakes()) == []
