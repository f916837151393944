"""Why orders are cancelled or refunded, and the audit record a cancellation leaves."""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.actors import Actor
from fusionx.core.model.tickets import TicketState


class CancelReason(enum.StrEnum):
    """The fixed list staff choose from; ``other`` needs a note. Refunds use it too."""

    CUSTOMER_REQUEST = "customer_request"
    OUT_OF_STOCK = "out_of_stock"
    KITCHEN_ERROR = "kitchen_error"
    PAYMENT_FAILED = "payment_failed"
    DUPLICATE = "duplicate"
    OTHER = "other"


# The food was made and spoiled: it cannot go back on the shelf.
FOOD_MADE_REASONS = frozenset({CancelReason.KITCHEN_ERROR})


class Cancellation(msgspec.Struct, frozen=True, kw_only=True):
    """One cancelled order: who, when, why, from which state, and what it was worth.

    ``stock_returned`` says whether its items went back to the shift's stock: they do
    unless the reason says the food was made, or the ticket had already been ready.
    """

    order_id: UUID
    ticket_id: UUID
    shift_id: UUID
    number: int
    reason: CancelReason
    from_state: TicketState
    stock_returned: bool
    amount_cents: int
    actor: Actor
    at: datetime
    note: str | None = None


class ReasonTotal(msgspec.Struct, frozen=True, kw_only=True):
    """How many cancellations (or refunds) gave ``reason``, and the money they came to."""

    reason: CancelReason
    count: int
    amount_cents: int
