from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.history import (
    MAX_SEARCH_LENGTH,
    Cursor,
    DayRange,
    KeysetPage,
    OrderQuery,
    OrderRecord,
)
from fusionx.core.model.orders import OrderChannel
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.model.refunds import PaymentState
from fusionx.core.model.tickets import TicketState
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.books_scope import scope_of_books
from fusionx.ports.unit_of_work import UnitOfWork


class OrderHistoryRequest(msgspec.Struct, frozen=True, kw_only=True):
    truck_id: UUID | None = None
    location_id: UUID | None = None
    days: DayRange = DayRange()
    state: TicketState | None = None
    channel: OrderChannel | None = None
    payment: PaymentState | None = None
    reason: CancelReason | None = None
    q: str | None = None
    after: Cursor | None = None
    limit: int = 50

    def __post_init__(self) -> None:
        PageRequest(limit=self.limit)  # the bounds every list has


class ListOrderHistory:
    """Orders across days and trucks, newest first, and the search managers find an
    order by.

    Rules:
    - owners and admins see the whole fleet's, managers their trucks'; crew, devices and
      customers may not (403); a truck outside the caller's scope, or none, is 404;
    - filters: truck, location, days (on each location's own clock, both ends
      included), ticket state, channel, payment state, and a reason (given for the
      order's cancellation or any of its refunds);
    - ``q`` finds an order by its number, any part of its customer's name (any case),
      or any part of its customer's phone number; at most 100 characters;
    - paged by cursor: a page continues after the last order of the one before, and
      orders placed meanwhile do not shift what follows.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, principal: Principal, request: OrderHistoryRequest
    ) -> KeysetPage[OrderRecord]:
        text = request.q.strip() if request.q else None
        if text:
            text = require_text("q", text, max_length=MAX_SEARCH_LENGTH)
        async with self._uow as uow:
            scope = await scope_of_books(
                uow,
                principal,
                truck_id=request.truck_id,
                location_id=request.location_id,
                days=request.days,
            )
            query = OrderQuery(
                scope=scope,
                state=request.state,
                channel=request.channel,
                payment=request.payment,
                reason=request.reason,
                text=text or None,
            )
            found = await uow.history.orders(query, after=request.after, limit=request.limit + 1)
        items = found[: request.limit]
        more = len(found) > request.limit
        last = items[-1] if more else None
        return KeysetPage(
            items=items,
            limit=request.limit,
            next=None if last is None else Cursor(last.created_at, last.id),
        )
