"""Giving a customer's money back through whoever took it."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

import msgspec


class RefundInstruction(msgspec.Struct, frozen=True, kw_only=True):
    """Give ``amount_cents`` back on the payment of ``order_id``.

    ``refund_id`` is unique per refund and is the gateway's idempotency key: a gateway
    that sees it twice refunds once, and answers the second time as the first.
    ``payment_reference`` is the gateway's id of the payment refunded, when known.
    """

    refund_id: UUID
    order_id: UUID
    amount_cents: int
    reason: str
    payment_reference: str | None = None

    @property
    def idempotency_key(self) -> str:
        return str(self.refund_id)


class RefundGateway(Protocol):
    """Sends refunds out to whoever holds the customer's money.

    ``refund`` returns the gateway's reference for the refund once it is accepted. It
    raises ``PaymentDeclined`` or ``InvalidPaymentRequest`` when the gateway refuses it
    (nothing was refunded, and the same instruction will be refused again), and
    ``GatewayUnavailable`` when the outcome is unknown: the same instruction sent again
    then refunds at most once.
    """

    async def refund(self, instruction: RefundInstruction) -> str: ...
