"""When an item may be sold: weekly windows evaluated in the location's time zone.

Windows are wall-clock ranges, so 07:00-11:00 is 07:00-11:00 local on either side of a
daylight-saving change. An opening time that a spring-forward skips opens the moment
the clock jumps past it; one a fall-back repeats opens the first time round.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fusionx.core.model.local_time import first_instant_at
from fusionx.core.model.menu import AvailabilityWindow

# A window opens at least once a week: looking eight days ahead finds any next opening.
_HORIZON_DAYS = 8


def is_open(windows: Sequence[AvailabilityWindow], at: datetime, zone: ZoneInfo) -> bool:
    """Whether ``at`` falls in one of ``windows`` (no windows: always open)."""
    if not windows:
        return True
    local = at.astimezone(zone)
    day, clock = local.isoweekday(), local.time().replace(tzinfo=None)
    yesterday = (day - 2) % 7 + 1
    for window in windows:
        if not window.crosses_midnight:
            if day in window.days and window.start <= clock < window.end:
                return True
        elif (day in window.days and clock >= window.start) or (
            yesterday in window.days and clock < window.end
        ):
            return True
    return False


def next_opening(
    rules: Sequence[Sequence[AvailabilityWindow]], at: datetime, zone: ZoneInfo
) -> datetime | None:
    """The first moment after ``at`` (UTC) when every set of ``rules`` is open at once,
    or None if that never happens. Open now means ``at`` itself."""
    if all(is_open(windows, at, zone) for windows in rules):
        return at
    # The moment they all agree is the opening of one of them: try each in time order.
    candidates = sorted({opening for windows in rules for opening in _openings(windows, at, zone)})
    for candidate in candidates:
        if all(is_open(windows, candidate, zone) for windows in rules):
            return candidate
    return None


def _openings(
    windows: Sequence[AvailabilityWindow], at: datetime, zone: ZoneInfo
) -> list[datetime]:
    local_today = at.astimezone(zone).date()
    openings = []
    for offset in range(_HORIZON_DAYS):
        day = local_today + timedelta(days=offset)
        for window in windows:
            if day.isoweekday() in window.days:
                opening = first_instant_at(day, window.start, zone)
                if opening > at:
                    openings.append(opening)
    return openings
