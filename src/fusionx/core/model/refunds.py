"""Refunds of an order, whole or by line, and what the customer has paid."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.actors import Actor
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.orders import Order


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


def refunded_quantities(refunds: Iterable[Refund]) -> dict[int, int]:
    """Units refunded so far per line index."""
    refunded: dict[int, int] = {}
    for refund in refunds:
        for line in refund.lines:
            refunded[line.line] = refunded.get(line.line, 0) + line.quantity
    return refunded


def refunded_cents(refunds: Iterable[Refund]) -> int:
    """Money given back so far."""
    return sum(refund.amount_cents for refund in refunds)


def payment_state(order: Order, paid: int, refunds: Iterable[Refund]) -> PaymentState:
    refunded = refunded_cents(refunds)
    if paid <= 0:
        return PaymentState.UNPAID
    if refunded == 0:
        return PaymentState.PAID
    if order.refundable_cents(paid, refunded=refunded) <= 0:
        return PaymentState.REFUNDED
    return PaymentState.PARTIALLY_REFUNDED
