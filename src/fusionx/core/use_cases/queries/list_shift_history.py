from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.history import Cursor, DayRange, KeysetPage, ShiftQuery, ShiftRecord
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.model.shifts import ShiftState
from fusionx.core.use_cases.steps.books_scope import scope_of_books
from fusionx.ports.unit_of_work import UnitOfWork


class ShiftHistoryRequest(msgspec.Struct, frozen=True, kw_only=True):
    truck_id: UUID | None = None
    location_id: UUID | None = None
    days: DayRange = DayRange()
    state: ShiftState | None = None
    after: Cursor | None = None
    limit: int = 50

    def __post_init__(self) -> None:
        PageRequest(limit=self.limit)  # the bounds every list has


class ListShiftHistory:
    """Past and current shifts across days and trucks, newest first, with each one's
    orders and gross sales.

    Rules:
    - owners and admins see the whole fleet's, managers their trucks'; crew, devices and
      customers may not (403); a truck outside the caller's scope, or none, is 404;
    - filters: truck, location, days (on each location's own clock, both ends
      included) and state;
    - paged by cursor: a page continues after the last shift of the one before, and
      shifts opened meanwhile do not shift what follows.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, principal: Principal, request: ShiftHistoryRequest
    ) -> KeysetPage[ShiftRecord]:
        async with self._uow as uow:
            scope = await scope_of_books(
                uow,
                principal,
                truck_id=request.truck_id,
                location_id=request.location_id,
                days=request.days,
            )
            query = ShiftQuery(scope=scope, state=request.state)
            found = await uow.history.shifts(query, after=request.after, limit=request.limit + 1)
        items = found[: request.limit]
        more = len(found) > request.limit
        last = items[-1] if more else None
        return KeysetPage(
            items=items,
            limit=request.limit,
            next=None if last is None else Cursor(last.opened_at, last.id),
        )
