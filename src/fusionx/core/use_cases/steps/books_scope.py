"""What a reader of the books (history, exports) may see and asked for, as a ``Scope``:
the trucks of their scope (or the one asked for), and local days made UTC windows."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from fusionx.core.errors import NotFound
from fusionx.core.model.history import DayRange, LocalWindow, Scope
from fusionx.core.model.local_time import first_instant_at
from fusionx.core.model.principals import Principal
from fusionx.core.model.trucks import Location
from fusionx.core.use_cases.steps.business_scope import trucks_in_business_scope
from fusionx.ports.unit_of_work import UnitOfWork


async def scope_of_books(
    uow: UnitOfWork,
    principal: Principal | None,
    *,
    truck_id: UUID | None,
    location_id: UUID | None,
    days: DayRange,
) -> Scope:
    """Managers and up (403 otherwise); a truck outside the caller's scope, or none at
    all, is 404, and so is a location that does not exist. Days are read on each
    location's own clock: an order at 23:30 in Paris is on that Paris day. No principal
    is the operator at the command line, who holds the database itself: the fleet."""
    trucks = await trucks_in_business_scope(uow, principal, truck_id)
    if location_id is not None and await uow.locations.get(location_id) is None:
        raise NotFound("location", location_id)
    windows = None
    if days.bounded:
        locations = await uow.locations.list_all()
        windows = tuple(
            local_window(location, days)
            for location in locations
            if location_id is None or location.id == location_id
        )
    return Scope(trucks=trucks, location_id=location_id, windows=windows)


def local_window(location: Location, days: DayRange) -> LocalWindow:
    zone = location.zone
    return LocalWindow(
        location_id=location.id,
        starts=None if days.first is None else first_instant_at(days.first, time(0), zone),
        ends=None if days.last is None else first_instant_at(_next(days.last), time(0), zone),
    )


def utc_bounds(days: DayRange) -> tuple[datetime | None, datetime | None]:
    """The days in UTC: for what has no location (the audit trail)."""
    since = None if days.first is None else datetime.combine(days.first, time(0), UTC)
    until = None if days.last is None else datetime.combine(_next(days.last), time(0), UTC)
    return since, until


def _next(day: date) -> date:
    return day + timedelta(days=1)
