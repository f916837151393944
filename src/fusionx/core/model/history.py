"""The read side of the business: past shifts and orders, filtered and paged by cursor.

A list of history is read newest first, in pages that continue from a ``Cursor``: the
(time, id) of the last item of the page before. Unlike an offset, a cursor stays right
while new orders arrive: a page never repeats nor skips an item because rows were added
in front of it. On the wire the cursor is opaque (``Cursor.encode``).
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Generic, TypeVar
from uuid import UUID

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.orders import OrderChannel, OrderState
from fusionx.core.model.refunds import PaymentState
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.tickets import TicketState

T = TypeVar("T")

# The days a range may name: wide enough for any books, and a day after each still a date.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2999, 12, 31)
# The most a search text may hold: a name, a phone number or an order number.
MAX_SEARCH_LENGTH = 100


class Cursor(msgspec.Struct, frozen=True, array_like=True):
    """Where a page ends: the time and id of its last item (a keyset, not an offset)."""

    at: datetime
    id: UUID

    def encode(self) -> str:
        return base64.urlsafe_b64encode(msgspec.json.encode(self)).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """The cursor ``encode`` gave; anything else is a 422 naming ``cursor``."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            cursor = msgspec.json.decode(raw, type=cls)
        except (binascii.Error, ValueError, msgspec.ValidationError):
            raise InvalidInput("cursor", Message("history.cursor_invalid")) from None
        if cursor.at.utcoffset() is None:
            raise InvalidInput("cursor", Message("history.cursor_invalid"))
        return cursor


class LocalWindow(msgspec.Struct, frozen=True, kw_only=True):
    """The instants ``[starts, ends)`` that are the asked days at one location, in its
    own time zone: how a range of local days becomes a range the database can index."""

    location_id: UUID
    starts: datetime | None
    ends: datetime | None


# The query parameters every day range is sent in (history, exports, analytics): a
# problem with a range names the one the client sent.
FIRST_DAY_FIELD = "from_date"
LAST_DAY_FIELD = "to_date"


class DayRange(msgspec.Struct, frozen=True, kw_only=True):
    """Days as the location's clock reads them, both ends included; either may be open.
    A bad one is an ``InvalidInput`` naming ``FIRST_DAY_FIELD`` or ``LAST_DAY_FIELD``."""

    first: date | None = None
    last: date | None = None

    def __post_init__(self) -> None:
        for field, day in ((FIRST_DAY_FIELD, self.first), (LAST_DAY_FIELD, self.last)):
            if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
                raise InvalidInput(
                    field,
                    Message(
                        "history.day_range", {"low": str(EARLIEST_DAY), "high": str(LATEST_DAY)}
                    ),
                )
        if self.first is not None and self.last is not None and self.last < self.first:
            raise InvalidInput(LAST_DAY_FIELD, Message("history.days_reversed"))

    @property
    def bounded(self) -> bool:
        return self.first is not None or self.last is not None


class Scope(msgspec.Struct, frozen=True, kw_only=True):
    """What the reader may see and asked for: ``trucks`` None for the whole fleet, and
    ``windows`` None for any day (else only instants inside one of them count)."""

    trucks: frozenset[UUID] | None = None
    location_id: UUID | None = None
    windows: tuple[LocalWindow, ...] | None = None


class ShiftQuery(msgspec.Struct, frozen=True, kw_only=True):
    scope: Scope = Scope()
    state: ShiftState | None = None


class OrderQuery(msgspec.Struct, frozen=True, kw_only=True):
    """``reason`` matches a cancellation's or a refund's; ``text`` an order's number,
    its customer's name (any part, any case) or phone number (any part of its digits)."""

    scope: Scope = Scope()
    state: TicketState | None = None
    channel: OrderChannel | None = None
    payment: PaymentState | None = None
    reason: CancelReason | None = None
    text: str | None = None


class ShiftRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    truck_id: UUID
    location_id: UUID
    state: ShiftState
    opened_at: datetime
    closed_at: datetime | None
    orders: int
    gross_cents: int


class OrderRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One order as history shows it. ``ticket_state`` is None for an online order never
    paid (it has no ticket); ``paid_cents`` what the customer paid, ``refunded_cents``
    what refunds gave back (succeeded ones only)."""

    id: UUID
    number: int
    shift_id: UUID
    truck_id: UUID
    location_id: UUID
    channel: OrderChannel
    state: OrderState
    ticket_state: TicketState | None
    payment: PaymentState
    total_cents: int
    paid_cents: int
    refunded_cents: int
    created_at: datetime
    customer_name: str | None
    customer_phone: str | None
    cancel_reason: CancelReason | None


def phone_digits(text: str) -> str | None:
    """The digits a search text names a phone number by, if it reads as one (at least
    three digits, nothing but digits, spaces and ``+-().``); else None."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 3 and all(ch.isdigit() or ch in " +-()." for ch in text):
        return digits
    return None


def number_of(text: str) -> int | None:
    """The order number a search text names, if it is one (nine digits at most)."""
    return int(text) if text.isdigit() and len(text) <= 9 else None


def payment_state_of(paid: int, total: int, refunded: int) -> PaymentState:
    """``refunds.payment_state`` on figures: what the SQL computes, written once."""
    if paid <= 0:
        return PaymentState.UNPAID
    if refunded == 0:
        return PaymentState.PAID
    if max(0, min(paid, total)) - refunded <= 0:
        return PaymentState.REFUNDED
    return PaymentState.PARTIALLY_REFUNDED


class KeysetPage(msgspec.Struct, Generic[T], frozen=True, kw_only=True):
    """A page of a history list; ``next`` continues it, None on the last page."""

    items: list[T]
    limit: int
    next: Cursor | None
