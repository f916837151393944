"""An order as its customer follows it over its tracking link.

Nothing here names a staff member, another order or anyone's contact details:
``tests/http/test_tracking.py`` walks the answer for such fields.
"""

from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.customer_status import CustomerStatus
from fusionx.core.model.orders import OrderLine
from fusionx.core.use_cases.queries.view_tracked_order import TrackedOrder
from fusionx.entrypoints.http.schemas.reviews import ReviewView
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime
from fusionx.entrypoints.http.schemas.storefront import PublicLocationView


class TrackedLineView(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    quantity: int
    unit_price_cents: int
    total_cents: int
    modifiers: list[str]
    notes: str | None

    @classmethod
    def of(cls, line: OrderLine) -> TrackedLineView:
        return cls(
            name=line.name,
            quantity=line.quantity,
            unit_price_cents=line.unit_price_cents,
            total_cents=line.total_cents,
            modifiers=[modifier.name for modifier in line.modifiers],
            notes=line.notes,
        )


class TrackedTruckView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str


class TrackedOrderView(msgspec.Struct, frozen=True, kw_only=True):
    """``status``: awaiting_payment, queued, preparing, ready, picked_up, cancelled or
    refunded. ``ahead``: tickets the kitchen makes before this one, while it is queued
    or preparing (else null). ``promised_ready_at``: when it should be ready (the last
    time the customer was given). ``review``: the customer's, once written."""

    id: UUID
    number: int
    status: CustomerStatus
    lines: list[TrackedLineView]
    total_cents: int
    paid_cents: int
    refunded_cents: int
    placed_at: UtcDateTime
    pickup_at: UtcDateTime | None
    promised_ready_at: UtcDateTime | None
    ahead: int | None
    truck: TrackedTruckView
    location: PublicLocationView
    review: ReviewView | None

    @classmethod
    def of(cls, tracked: TrackedOrder) -> TrackedOrderView:
        order = tracked.order
        return cls(
            id=order.id,
            number=order.number,
            status=tracked.status,
            lines=[TrackedLineView.of(line) for line in order.lines],
            total_cents=order.total_cents,
            paid_cents=tracked.paid_cents,
            refunded_cents=tracked.refunded_cents,
            placed_at=order.created_at,
            pickup_at=order.pickup_at,
            promised_ready_at=tracked.promised_ready_at,
            ahead=tracked.ahead,
            truck=TrackedTruckView(id=tracked.truck.id, name=tracked.truck.name),
            location=PublicLocationView.of(tracked.location),
            review=ReviewView.of(tracked.review) if tracked.review else None,
        )
