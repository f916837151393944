"""When a weekly summary is due, and which week it tells: the one rule both runners share.

A recipient's summary for a week (Monday to Sunday, on their local clock) is due from
the next Monday at ``SEND_AT`` local time. It stays due until sent, so a scheduler that
was down on Monday morning catches up when it comes back, but never sends the week
before last: a summary that missed its own week is not worth sending late.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fusionx.core.model.local_time import first_instant_at

SEND_AT = time(7, 0)
WEEK = timedelta(days=7)


def zone_named(name: str | None) -> ZoneInfo:
    """The IANA zone ``name``, or UTC when unset or unknown to this machine."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def due_week(now: datetime, zone: ZoneInfo, send_at: time = SEND_AT) -> date | None:
    """The Monday starting the week whose summary is due at ``now``, or None before this
    week's sending time (the last week's summary was due, and sent, a week ago)."""
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    if now < first_instant_at(monday, send_at, zone):
        return None
    return monday - WEEK


def week_bounds(monday: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The week starting ``monday`` as UTC instants: local midnight to local midnight."""
    return local_midnight(monday, zone), local_midnight(monday + WEEK, zone)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return first_instant_at(day, time(0, 0), zone).astimezone(UTC)


def day_starts(monday: date, zone: ZoneInfo) -> tuple[datetime, ...]:
    """The UTC instants where each local day of the week starts, Monday first, and where
    the week ends (eight instants): days are 23 or 25 hours long across a DST change."""
    return tuple(local_midnight(monday + timedelta(days=n), zone) for n in range(8))
