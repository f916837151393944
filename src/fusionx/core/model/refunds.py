"""Refunds of an order, whole or by line, and what the customer has paid."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.actors import Actor
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.orders import Order, OrderChannel


class PaymentState(enum.StrEnum):
    UNPAID = "unpaid"
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class RefundLine(msgspec.Struct, frozen=True, kw_only=True):
    """``quantity`` units of the order's line at ``line`` (its index), at their price."""

    line: int
    quantity: int
    amount_cents: int


class Refund(msgspec.Struct, frozen=True, kw_only=True):
    """Money given back. ``reference`` is the payment gateway's id for it."""

    id: UUID
    order_id: UUID
    shift_id: UUID
    reason: CancelReason
    amount_cents: int
    lines: tuple[RefundLine, ...]
    actor: Actor
    at: datetime
    reference: str
    note: str | None = None


def paid_cents(order: Order, taken_by_gateway: int | None) -> int:
    """What the customer paid: a window order its total, when it is taken; an online
    order what the gateway reported taking for it (nothing until it has), which is not
    the total when the amounts did not match."""
    if order.channel is OrderChannel.ONLINE:
        return taken_by_gateway or 0
    return order.total_cents


def refundable_cents(order: Order, paid: int) -> int:
    """What refunds may give back in all: what was paid, and never more than the order's
    lines are worth (a gateway's overpayment is its own to return)."""
    return max(0, min(paid, order.total_cents))


def refunded_quantities(refunds: Iterable[Refund]) -> dict[int, int]:
    """Units refunded so far per line index."""
    refunded: dict[int, int] = {}
    for refund in refunds:
        for line in refund.lines:
            refunded[line.line] = refunded.get(line.line, 0) + line.quantity
    return refunded


def payment_state(order: Order, paid: int, refunds: Iterable[Refund]) -> PaymentState:
    refunded = sum(refund.amount_cents for refund in refunds)
    if paid <= 0:
        return PaymentState.UNPAID
    if refunded == 0:
        return PaymentState.PAID
    if refunded >= refundable_cents(order, paid):
        return PaymentState.REFUNDED
    return PaymentState.PARTIALLY_REFUNDED
