"""Taking a customer's money for an online order: payment intents at the gateway."""

from __future__ import annotations

import enum
from typing import Protocol
from uuid import UUID

import msgspec


class IntentStatus(enum.StrEnum):
    """Where the gateway's intent stands; its own names for the states are the adapter's."""

    AWAITING_CUSTOMER = "awaiting_customer"  # the customer has still to pay (or retry)
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    CANCELLED = "cancelled"


class PaymentIntentRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Ask the customer for ``amount_cents`` in ``currency`` (ISO 4217, lower case) for
    ``order_id``. One intent per order: the idempotency key derives from the order."""

    order_id: UUID
    amount_cents: int
    currency: str

    @property
    def idempotency_key(self) -> str:
        return f"fusionx-order-{self.order_id}-intent"


class PaymentIntent(msgspec.Struct, frozen=True, kw_only=True):
    """The gateway's intent. ``client_secret`` lets the customer's browser pay it, and
    is for them alone: never logged, never in an event."""

    id: str
    order_id: UUID
    amount_cents: int
    currency: str
    status: IntentStatus
    client_secret: str | None = None


class PaymentGateway(Protocol):
    """Creates and follows the intents customers pay through.

    Every method raises a ``ports.payment_errors`` error for anything but success:
    ``PaymentDeclined``, ``InvalidPaymentRequest`` (naming the field), or
    ``GatewayUnavailable``, after which the call may be repeated. ``create_intent``
    called twice for one order answers with the same intent, never a second one.
    """

    async def create_intent(self, request: PaymentIntentRequest) -> PaymentIntent: ...

    async def get_intent(self, intent_id: str) -> PaymentIntent: ...

    async def cancel_intent(self, intent_id: str) -> PaymentIntent: ...
