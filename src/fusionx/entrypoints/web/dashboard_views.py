"""What the dashboard's pages gather from several use cases, each called with the
signed-in staff member: the use cases decide what the caller may see."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime, timedelta
from typing import TypeVar
from uuid import UUID

import msgspec

from fusionx.core.errors import PermissionDenied
from fusionx.core.messages import Message, Money
from fusionx.core.model.devices import TrackedDevice
from fusionx.core.model.history import DayRange
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.principals import StaffPrincipal
from fusionx.core.use_cases.queries.list_my_trucks import ListMyTrucks, TruckOnDuty
from fusionx.core.use_cases.queries.list_shift_history import ListShiftHistory, ShiftHistoryRequest
from fusionx.core.use_cases.queries.list_truck_devices import ListTruckDevices
from fusionx.core.use_cases.queries.summarize_shift import ShiftSummary, SummarizeShift
from fusionx.entrypoints.web.dashboard_charts import (
    Chart,
    day_of_shift,
    week_of_fleet,
    week_of_truck,
)

T = TypeVar("T")

# What fits on a screen: a fleet larger than this, or a truck with more devices or more
# shifts in a week, gets the reporting pages (the analytics routes) instead.
FLEET_SHOWN = 50
DEVICES_SHOWN = 50
WEEK_SHIFTS = 50
WEEK = timedelta(days=6)  # today and the six days before


class TruckLive(msgspec.Struct, frozen=True, kw_only=True):
    """The polled part of a truck's dashboard. ``summary`` is None for a caller the
    summary is not for (crew), who therefore sees no capacity controls either: both
    are a manager's (``SummarizeShift``, ``SetCapacity``)."""

    on_duty: TruckOnDuty
    devices: list[TrackedDevice]
    summary: ShiftSummary | None
    day: Chart | None
    net_sales: Message | None


async def unless_denied(work: Awaitable[T]) -> T | None:
    """``work``'s result, or None where its use case refuses the caller's role: a part
    of a page the caller may not see is left out rather than failing the page."""
    try:
        return await work
    except PermissionDenied:
        return None


async def live_of(
    *,
    staff: StaffPrincipal,
    truck_id: UUID,
    trucks: ListMyTrucks,
    devices: ListTruckDevices,
    summarize: SummarizeShift,
    currency: str,
) -> TruckLive:
    on_duty = await trucks.of_truck(staff, truck_id)
    tracked = await devices.tracked(staff, truck_id, PageRequest(limit=DEVICES_SHOWN))
    shift = on_duty.shift
    summary = await unless_denied(summarize.execute(staff, shift.id)) if shift else None
    return TruckLive(
        on_duty=on_duty,
        devices=tracked.items,
        summary=summary,
        day=day_of_shift(summary) if summary else None,
        net_sales=_money(summary.figures.net_cents, currency) if summary else None,
    )


def _money(cents: int, currency: str) -> Message:
    return Message("page.dashboard.amount", {"amount": Money(cents, currency.upper())})


async def fleet_week(history: ListShiftHistory, staff: StaffPrincipal, now: datetime) -> Chart:
    request = _week_request(now)
    found = await history.execute(staff, request)
    return week_of_fleet(found.items, request.days)


async def truck_week(
    *,
    history: ListShiftHistory,
    summarize: SummarizeShift,
    staff: StaffPrincipal,
    truck_id: UUID,
    now: datetime,
) -> Chart:
    """The truck's last seven days: orders from the history, waits from each shift's
    summary (the reporting routes will give both in one read)."""
    request = _week_request(now, truck_id)
    found = await history.execute(staff, request)
    summaries = [await summarize.execute(staff, record.id) for record in found.items]
    return week_of_truck(found.items, summaries, request.days)


def _week_request(now: datetime, truck_id: UUID | None = None) -> ShiftHistoryRequest:
    today = now.date()
    return ShiftHistoryRequest(
        truck_id=truck_id, days=DayRange(first=today - WEEK, last=today), limit=WEEK_SHIFTS
    )
