"""Availability windows are wall-clock ranges in the location's zone: across midnight,
across daylight-saving changes, and combined (an item's and its category's)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from fusionx.core.model.menu import AvailabilityWindow
from fusionx.core.rules.availability import is_open, next_opening

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS = frozenset({1, 2, 3, 4, 5})
BREAKFAST = AvailabilityWindow(days=WEEKDAYS, start=time(7), end=time(11))
# Friday and Saturday nights, 22:00 to 02:00 the next morning.
LATE = AvailabilityWindow(days=frozenset({5, 6}), start=time(22), end=time(2))


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (paris(2026, 1, 5, 6, 59), False),
        (paris(2026, 1, 5, 7, 0), True),
        (paris(2026, 1, 5, 10, 59, 59), True),
        (paris(2026, 1, 5, 11, 0), False),
        (paris(2026, 1, 10, 8, 0), False),  # a Saturday
    ],
)
def test_a_window_opens_at_its_start_and_closes_at_its_end(local, expected):
    assert is_open([BREAKFAST], local.astimezone(UTC), PARIS) is expected


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (paris(2026, 1, 9, 21, 59), False),  # Friday evening
        (paris(2026, 1, 9, 23, 30), True),
        (paris(2026, 1, 10, 1, 59), True),  # Saturday small hours: Friday's window
        (paris(2026, 1, 10, 2, 0), False),
        (paris(2026, 1, 11, 1, 0), True),  # Sunday small hours: Saturday's window
        (paris(2026, 1, 12, 1, 0), False),  # Monday small hours: no Sunday window
    ],
)
def test_a_window_ending_before_it_starts_runs_past_midnight(local, expected):
    assert is_open([LATE], local.astimezone(UTC), PARIS) is expected


def test_no_windows_means_always_open():
    assert is_open([], datetime(2026, 1, 5, 3, 0, tzinfo=UTC), PARIS)


@pytest.mark.parametrize(
    ("asked", "opens"),
    [
        (paris(2026, 3, 29, 12), paris(2026, 3, 30, 7)),  # the Sunday clocks go forward
        (paris(2026, 10, 25, 12), paris(2026, 10, 26, 7)),  # the Sunday clocks go back
    ],
)
def test_breakfast_opens_at_seven_local_whatever_the_offset(asked, opens):
    assert next_opening([[BREAKFAST]], asked.astimezone(UTC), PARIS) == opens.astimezone(UTC)


def test_the_utc_opening_moves_with_daylight_saving():
    friday = paris(2026, 3, 27, 12).astimezone(UTC)

    opening = next_opening([[BREAKFAST]], friday, PARIS)

    # Monday 30 March, 07:00 CEST (UTC+2): 05:00 UTC, not 06:00 as in winter.
    assert opening == datetime(2026, 3, 30, 5, 0, tzinfo=UTC)


def test_an_opening_skipped_by_spring_forward_opens_at_the_jump():
    night = AvailabilityWindow(days=frozenset({7}), start=time(2, 30), end=time(5))
    saturday = datetime(2026, 3, 8, 0, 0, tzinfo=UTC)  # New York springs forward on the 8th

    opening = next_opening([[night]], saturday, NEW_YORK)

    # 02:00 EST becomes 03:00 EDT at 07:00 UTC; 02:30 never shows on the clock.
    assert opening == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert is_open([night], opening, NEW_YORK)


def test_an_item_and_its_category_must_both_be_open():
    mornings = AvailabilityWindow(days=WEEKDAYS, start=time(6), end=time(10))
    at = paris(2026, 1, 5, 6, 30).astimezone(UTC)

    opening = next_opening([[BREAKFAST], [mornings]], at, PARIS)

    assert opening == paris(2026, 1, 5, 7, 0).astimezone(UTC)
    assert next_opening([[BREAKFAST], [mornings]], opening, PARIS) == opening


def test_windows_that_never_meet_never_open():
    weekend = AvailabilityWindow(days=frozenset({6, 7}), start=time(9), end=time(12))

    assert next_opening([[BREAKFAST], [weekend]], datetime(2026, 1, 5, tzinfo=UTC), PARIS) is None
