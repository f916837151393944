"""Operating hours: when a truck trades, in the local time of the location it stands at.

Weekly intervals (a day of the week, an opening and a closing time; several a day) plus
dated exceptions that replace that date's weekly intervals: none to close all day
(a holiday), or special hours (an event). An interval that runs past midnight says so
with ``overnight``: it closes on the next day, so "22:00-02:00" is never a typo for
"02:00-22:00". Times are wall-clock times: 09:00-17:00 is 09:00-17:00 local on either
side of a daylight-saving change, so the day of the change is an hour shorter or
longer. A time the spring-forward skips is the moment the clock jumps past it; a time
the fall-back repeats is its first occurrence.

No intervals and no exceptions is "no hours set": nothing is restricted.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import msgspec

from fusionx.core.messages import Message
from fusionx.core.model.local_time import first_instant_at

_MINUTES_A_DAY = 24 * 60
_MINUTES_A_WEEK = 7 * _MINUTES_A_DAY
MAX_INTERVALS = 50
MAX_EXCEPTIONS = 400


class Interval(msgspec.Struct, frozen=True, kw_only=True):
    """Open from ``opens`` to ``closes`` local time; ``overnight``: closes the next day."""

    opens: time
    closes: time
    overnight: bool = False

    def mistake(self) -> tuple[str, Message] | None:
        """The field in error and why, or None for a well-formed interval."""
        if not self.overnight and self.opens >= self.closes:
            return "closes", Message("hours.closes_after_opens")
        if self.overnight and self.closes > self.opens:
            return "closes", Message("hours.overnight_closes_early")
        return None

    def on(self, day: date, zone: ZoneInfo) -> OpenInterval:
        """This interval opening on the local date ``day``, as UTC instants."""
        closing_day = day + timedelta(days=1) if self.overnight else day
        return OpenInterval(
            opens_at=first_instant_at(day, self.opens, zone),
            closes_at=first_instant_at(closing_day, self.closes, zone),
        )

    def minutes(self, start_day: int) -> tuple[int, int]:
        """Start and end in minutes from the start of day ``start_day`` (0-based)."""
        start = start_day * _MINUTES_A_DAY + _minute_of(self.opens)
        end_day = start_day + 1 if self.overnight else start_day
        return start, end_day * _MINUTES_A_DAY + _minute_of(self.closes)


class WeeklyInterval(Interval, frozen=True, kw_only=True):
    """An interval opening every week on ``day``, an ISO weekday (1 = Monday)."""

    day: int


class DatedHours(msgspec.Struct, frozen=True, kw_only=True):
    """What replaces the weekly hours on one local date: no intervals, closed all day."""

    date: date
    intervals: tuple[Interval, ...] = ()

    @property
    def closed(self) -> bool:
        return not self.intervals


class OpenInterval(msgspec.Struct, frozen=True, kw_only=True):
    """Open from ``opens_at`` (included) to ``closes_at`` (excluded), aware UTC."""

    opens_at: datetime
    closes_at: datetime

    def contains(self, at: datetime) -> bool:
        return self.opens_at <= at < self.closes_at


class Today(msgspec.Struct, frozen=True, kw_only=True):
    """ "Open now" (the interval ``at`` falls in) and "later today" (what opens after it
    on the same local date)."""

    open_now: OpenInterval | None
    later: tuple[OpenInterval, ...]


class OperatingHours(msgspec.Struct, frozen=True, kw_only=True):
    """A week of intervals and the dated exceptions to it; see the module docstring."""

    weekly: tuple[WeeklyInterval, ...] = ()
    exceptions: tuple[DatedHours, ...] = ()

    @property
    def is_set(self) -> bool:
        return bool(self.weekly or self.exceptions)

    def mistakes(self) -> Iterator[tuple[str, Message]]:
        """Each field in error (``weekly[2].closes``) and why: empty for valid hours."""
        yield from self._weekly_mistakes()
        seen: set[date] = set()
        for index, dated in enumerate(self.exceptions):
            if dated.date in seen:
                yield f"exceptions[{index}].date", Message("hours.date_twice")
            seen.add(dated.date)
            where = f"exceptions[{index}].intervals"
            for inner, interval in enumerate(dated.intervals):
                if mistake := interval.mistake():
                    yield f"{where}[{inner}].{mistake[0]}", mistake[1]
            spans = [
                (*interval.minutes(0), inner) for inner, interval in enumerate(dated.intervals)
            ]
            yield from _overlaps(spans, where, wrap=None)

    def _weekly_mistakes(self) -> Iterator[tuple[str, Message]]:
        spans = []
        for index, interval in enumerate(self.weekly):
            if not 1 <= interval.day <= 7:  # ISO weekdays
                yield f"weekly[{index}].day", Message("hours.weekday_range")
                continue
            if mistake := interval.mistake():
                yield f"weekly[{index}].{mistake[0]}", mistake[1]
                continue
            spans.append((*interval.minutes(interval.day - 1), index))
        yield from _overlaps(spans, "weekly", wrap=_MINUTES_A_WEEK)

    def intervals_opening_on(self, day: date) -> tuple[Interval, ...]:
        """The local intervals that open on ``day``: its exception's, else its weekday's."""
        for dated in self.exceptions:
            if dated.date == day:
                return dated.intervals
        weekday = day.isoweekday()
        return tuple(interval for interval in self.weekly if interval.day == weekday)

    def open_on(self, day: date, zone: ZoneInfo) -> list[OpenInterval]:
        """Every interval open at some moment of the local date ``day``, as aware UTC, in
        time order: those opening that day, and the previous night's still open at its
        start (given whole, from when they opened)."""
        start_of_day = first_instant_at(day, time(0), zone)
        previous = day - timedelta(days=1)
        spilling = [
            opened
            for interval in self.intervals_opening_on(previous)
            if (opened := interval.on(previous, zone)).closes_at > start_of_day
        ]
        opening = [interval.on(day, zone) for interval in self.intervals_opening_on(day)]
        return sorted(spilling + opening, key=lambda span: span.opens_at)

    def is_open(self, at: datetime, zone: ZoneInfo) -> bool:
        """Whether ``at`` is inside the hours; with no hours set, always."""
        if not self.is_set:
            return True
        return any(span.contains(at) for span in self.open_on(_local_date(at, zone), zone))

    def today(self, at: datetime, zone: ZoneInfo) -> Today:
        """Open now, and what opens later on the same local date."""
        spans = self.open_on(_local_date(at, zone), zone)
        return Today(
            open_now=next((span for span in spans if span.contains(at)), None),
            later=tuple(span for span in spans if span.opens_at > at),
        )


def _local_date(at: datetime, zone: ZoneInfo) -> date:
    return at.astimezone(zone).date()


def _minute_of(wall: time) -> int:
    return wall.hour * 60 + wall.minute


def _overlaps(
    spans: list[tuple[int, int, int]], where: str, *, wrap: int | None
) -> Iterator[tuple[str, Message]]:
    """Each interval that overlaps an earlier-starting one. ``wrap``: the week's length,
    so Sunday night's overnight interval is checked against Monday morning."""
    ordered = sorted(spans)
    reach = None  # the latest end so far
    for start, end, index in ordered:
        if reach is not None and start < reach:
            yield f"{where}[{index}].opens", Message("hours.overlap")
        reach = end if reach is None else max(reach, end)
    if wrap is not None and reach is not None and len(ordered) > 1:
        first_start, _, first = ordered[0]
        if reach - wrap > first_start:
            yield f"{where}[{first}].opens", Message("hours.overlap")
