"""The query parameters of the history lists (``GET /api/v1/shifts``, ``/orders``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from litestar.params import QueryParameter

from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.history import MAX_SEARCH_LENGTH, Cursor
from fusionx.core.model.orders import OrderChannel
from fusionx.core.model.refunds import PaymentState
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.tickets import TicketState

TruckId = Annotated[UUID | None, QueryParameter(description="One truck's")]
LocationId = Annotated[UUID | None, QueryParameter(description="At one location")]
FromDay = Annotated[date | None, QueryParameter(description="First day, on the location's clock")]
ToDay = Annotated[date | None, QueryParameter(description="Last day (included), same clock")]
CursorText = Annotated[
    str | None,
    QueryParameter(max_length=200, description="The `next_cursor` of the page before"),
]
Search = Annotated[
    str | None,
    QueryParameter(
        max_length=MAX_SEARCH_LENGTH,
        description="An order number, or part of the customer's name or phone number",
    ),
]


def after_cursor(cursor: str | None) -> Cursor | None:
    return None if cursor is None else Cursor.decode(cursor)


ShiftStateParam = Annotated[ShiftState | None, QueryParameter(description="In this state")]
TicketStateParam = Annotated[TicketState | None, QueryParameter(description="Ticket state")]
ChannelParam = Annotated[OrderChannel | None, QueryParameter(description="Channel")]
PaymentParam = Annotated[PaymentState | None, QueryParameter(description="Payment state")]
ReasonParam = Annotated[
    CancelReason | None, QueryParameter(description="Cancelled or refunded for it")
]
