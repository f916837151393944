"""Refunds of an order, whole or by line, and what the customer has paid."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.actors import Actor
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.orders import Order, OrderState


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


def paid_cents(order: Order) -> int:
    """What the customer paid: a window order in full when it is taken, an online order in
    full once the gateway confirmed it (placed, or paid but in need of a refund)."""
    return 0 if order.state is OrderState.AWAITING_PAYMENT else order.total_cents


def refunded_quantities(refunds: Iterable[Refund]) -> dict[int, int]:
    """Units refunded so far per line index."""
    refunded: dict[int, int] = {}
    for refund in refunds:
        for line in refund.lines:
            refunded[line.line] = refunded.get(line.line, 0) + line.quantity
    return refunded


def payment_state(order: Order, refunds: Iterable[Refund]) -> PaymentState:
    refunded = sum(refund.amount_cents for refund in refunds)
    if paid_cents(order) == 0:
        return PaymentState.UNPAID
    if refunded == 0:
        return PaymentState.PAID
    return (
        PaymentState.REFUNDED if refunded >= paid_cents(order) else PaymentState.PARTIALLY_REFUNDED
    )
