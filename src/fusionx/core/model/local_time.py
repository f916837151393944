"""Wall-clock times in a time zone, made instants: the one DST rule every schedule shares."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def first_instant_at(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The first instant (UTC) from which the local clock on ``day`` reads ``wall`` or later.

    A time a spring-forward skips is the moment the clock jumps past it; a time a
    fall-back repeats is its first occurrence.
    """
    local = datetime.combine(day, wall, tzinfo=zone)
    instant = local.astimezone(UTC)
    naive = local.replace(tzinfo=None)
    if instant.astimezone(zone).replace(tzinfo=None) == naive:
        return instant
    # ``wall`` falls in a spring-forward gap: find the jump between its two readings.
    low, high = local.replace(fold=1).astimezone(UTC), instant
    low, high = min(low, high), max(low, high)
    while high - low > timedelta(microseconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= naive:
            high = middle
        else:
            low = middle
    return high
