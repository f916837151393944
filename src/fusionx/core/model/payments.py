"""What the payment gateway tells us about orders paid online, in our terms.

The gateway's wire format is its adapter's business; the core knows only the events
below, and keeps a record of each one it acted on so a replay changes nothing.
"""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

import msgspec


class PaymentEventKind(enum.StrEnum):
    """The gateway events the core understands; the adapter maps its own names onto these."""

    SUCCEEDED = "payment.succeeded"
    FAILED = "payment.failed"
    # The intent was cancelled (by the customer, or at the gateway): no payment will come.
    CANCELLED = "payment.cancelled"


class PaymentEvent(msgspec.Struct, frozen=True, kw_only=True):
    """One verified notification about an order. ``event_id`` is the gateway's, unique."""

    event_id: str
    kind: PaymentEventKind
    order_id: UUID
    amount_cents: int
    occurred_at: datetime
    # The gateway's id of the payment (a payment intent): what a refund names.
    payment_reference: str | None = None


class UnhandledPaymentEvent(msgspec.Struct, frozen=True, kw_only=True):
    """A verified notification of a kind the core does not act on (acknowledged, ignored)."""

    event_id: str
    kind: str


PaymentNotification = PaymentEvent | UnhandledPaymentEvent


class PaymentOutcome(enum.StrEnum):
    """What receiving a notification did."""

    QUEUED = "queued"  # paid: stock taken, the ticket is on the kitchen display
    NEEDS_REFUND = "needs_refund"  # paid, but the order cannot be served
    PAYMENT_FAILED = "payment_failed"  # recorded; the order still awaits payment
    IGNORED = "ignored"  # nothing to do: unknown order, or not awaiting payment
    DUPLICATE = "duplicate"  # this event was received before; nothing changed


# The outcomes of a successful payment that acted on its order: the money was taken.
ACTED_ON = frozenset({PaymentOutcome.QUEUED, PaymentOutcome.NEEDS_REFUND})


class ReceivedPayment(msgspec.Struct, frozen=True, kw_only=True):
    """The record of a notification acted on: what makes replays harmless.

    ``id`` is also the actor id on the stock movements and events it caused.
    """

    id: UUID
    event_id: str
    kind: PaymentEventKind
    order_id: UUID
    amount_cents: int
    outcome: PaymentOutcome
    received_at: datetime
    payment_reference: str | None = None


class RefundReason(enum.StrEnum):
    OUT_OF_STOCK = "out_of_stock"
    SHIFT_CLOSED = "shift_closed"
    AMOUNT_MISMATCH = "amount_mismatch"
