"""Operating hours on the wire: a week of intervals and dated exceptions, and today's."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

import msgspec

from fusionx.core.model.hours import (
    MAX_EXCEPTIONS,
    MAX_INTERVALS,
    DatedHours,
    Interval,
    OpenInterval,
    OperatingHours,
    Today,
    WeeklyInterval,
)
from fusionx.core.use_cases.commands.set_operating_hours import SetHoursRequest
from fusionx.core.use_cases.queries.view_operating_hours import HoursWithToday
from fusionx.core.use_cases.steps.hours_in_force import HoursSource
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import DAYS, Day, HourMinute, UtcDateTime


def _wall(value: time) -> str:
    return value.strftime("%H:%M")


class IntervalBody(RequestBody, frozen=True, kw_only=True):
    """Open from ``opens`` to ``closes``, local time. ``overnight``: closes the next day
    (``"22:00"``-``"02:00"``; ``"00:00"``-``"00:00"`` overnight is a whole day); else
    ``closes`` must be after ``opens``."""

    opens: HourMinute
    closes: HourMinute
    overnight: bool = False

    def to_model(self) -> Interval:
        return Interval(
            opens=time.fromisoformat(self.opens),
            closes=time.fromisoformat(self.closes),
            overnight=self.overnight,
        )

    @classmethod
    def of(cls, interval: Interval) -> IntervalBody:
        return cls(
            opens=_wall(interval.opens), closes=_wall(interval.closes), overnight=interval.overnight
        )


class WeeklyIntervalBody(RequestBody, frozen=True, kw_only=True):
    """An interval opening every week on ``day``."""

    day: Day
    opens: HourMinute
    closes: HourMinute
    overnight: bool = False

    def to_model(self) -> WeeklyInterval:
        return WeeklyInterval(
            day=DAYS.index(self.day) + 1,
            opens=time.fromisoformat(self.opens),
            closes=time.fromisoformat(self.closes),
            overnight=self.overnight,
        )

    @classmethod
    def of(cls, interval: WeeklyInterval) -> WeeklyIntervalBody:
        return cls(
            day=DAYS[interval.day - 1],
            opens=_wall(interval.opens),
            closes=_wall(interval.closes),
            overnight=interval.overnight,
        )


class DatedHoursBody(RequestBody, frozen=True, kw_only=True):
    """What replaces the week's hours on ``date`` (local): no intervals, closed all day."""

    date: date
    intervals: Annotated[list[IntervalBody], msgspec.Meta(max_length=10)] = msgspec.field(
        default_factory=list
    )

    def to_model(self) -> DatedHours:
        return DatedHours(
            date=self.date, intervals=tuple(interval.to_model() for interval in self.intervals)
        )

    @classmethod
    def of(cls, dated: DatedHours) -> DatedHoursBody:
        return cls(date=dated.date, intervals=[IntervalBody.of(i) for i in dated.intervals])


class HoursBody(RequestBody, frozen=True, kw_only=True):
    """The whole week and every exception: a PUT replaces both. Empty: no hours set."""

    weekly: Annotated[list[WeeklyIntervalBody], msgspec.Meta(max_length=MAX_INTERVALS)] = (
        msgspec.field(default_factory=list)
    )
    exceptions: Annotated[list[DatedHoursBody], msgspec.Meta(max_length=MAX_EXCEPTIONS)] = (
        msgspec.field(default_factory=list)
    )

    def to_request(self) -> SetHoursRequest:
        return SetHoursRequest(
            hours=OperatingHours(
                weekly=tuple(interval.to_model() for interval in self.weekly),
                exceptions=tuple(dated.to_model() for dated in self.exceptions),
            )
        )

    @classmethod
    def of(cls, hours: OperatingHours) -> HoursBody:
        return cls(
            weekly=[WeeklyIntervalBody.of(interval) for interval in hours.weekly],
            exceptions=[DatedHoursBody.of(dated) for dated in hours.exceptions],
        )


class OpenIntervalView(msgspec.Struct, frozen=True, kw_only=True):
    opens_at: UtcDateTime
    closes_at: UtcDateTime

    @classmethod
    def of(cls, span: OpenInterval) -> OpenIntervalView:
        return cls(opens_at=span.opens_at, closes_at=span.closes_at)


class TodayView(msgspec.Struct, frozen=True, kw_only=True):
    """``open_now``: the interval open at this moment, if any; ``later``: what opens later
    on the same local date."""

    open_now: OpenIntervalView | None
    later: list[OpenIntervalView]

    @classmethod
    def of(cls, today: Today) -> TodayView:
        return cls(
            open_now=OpenIntervalView.of(today.open_now) if today.open_now else None,
            later=[OpenIntervalView.of(span) for span in today.later],
        )


class HoursView(msgspec.Struct, frozen=True, kw_only=True):
    """Hours as set (a truck: its own), ``source`` of the hours in force (a truck without
    its own follows its location's; ``none``: no restriction), and ``today`` in the
    location's time zone (for a truck, only while it is checked in)."""

    weekly: list[WeeklyIntervalBody]
    exceptions: list[DatedHoursBody]
    source: HoursSource
    today: TodayView | None

    @classmethod
    def of(cls, view: HoursWithToday) -> HoursView:
        body = HoursBody.of(view.hours)
        return cls(
            weekly=body.weekly,
            exceptions=body.exceptions,
            source=view.source,
            today=TodayView.of(view.today) if view.today else None,
        )
