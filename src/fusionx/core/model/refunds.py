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


class RefundStatus(enum.StrEnum):
    # Decided and recorded; the gateway has not said yes or no yet (or its answer was
    # lost). It holds its amount: no other refund may give that money back meanwhile.
    PENDING = "pending"
    SUCCEEDED = "succeeded"  # the gateway accepted it, or it was handed back at the truck
    FAILED = "failed"  # the gateway refused it: nothing was given back


class Refund(msgspec.Struct, frozen=True, kw_only=True):
    """Money given back, or on its way. ``reference`` is the payment gateway's id for it
    once accepted (none for one handed back at the truck); ``failure`` the gateway's
    reason for refusing it. A refund recorded before refunds had a status succeeded."""

    id: UUID
    order_id: UUID
    shift_id: UUID
    reason: CancelReason
    amount_cents: int
    lines: tuple[RefundLine, ...]
    actor: Actor
    at: datetime
    reference: str | None = None
    note: str | None = None
    status: RefundStatus = RefundStatus.SUCCEEDED
    failure: str | None = None

    @property
    def holds_money(self) -> bool:
        """Given back or on its way: counted against what is left to refund."""
        return self.status is not RefundStatus.FAILED

    def succeeded(self, reference: str | None) -> Refund:
        return msgspec.structs.replace(self, status=RefundStatus.SUCCEEDED, reference=reference)

    def failed(self, failure: str) -> Refund:
        return msgspec.structs.replace(self, status=RefundStatus.FAILED, failure=failure[:500])


def refunded_quantities(refunds: Iterable[Refund]) -> dict[int, int]:
    """Units refunded so far, or on their way, per line index (failed refunds gave none)."""
    refunded: dict[int, int] = {}
    for refund in refunds:
        for line in refund.lines if refund.holds_money else ():
            refunded[line.line] = refunded.get(line.line, 0) + line.quantity
    return refunded


def refunded_cents(refunds: Iterable[Refund]) -> int:
    """Money given back so far: refunds the gateway accepted only."""
    return sum(r.amount_cents for r in refunds if r.status is RefundStatus.SUCCEEDED)


def held_cents(refunds: Iterable[Refund]) -> int:
    """Money given back or on its way: what no new refund may give back again."""
    return sum(refund.amount_cents for refund in refunds if refund.holds_money)


def payment_state(order: Order, paid: int, refunds: Iterable[Refund]) -> PaymentState:
    refunded = refunded_cents(refunds)
    if paid <= 0:
        return PaymentState.UNPAID
    if refunded == 0:
        return PaymentState.PAID
    if order.refundable_cents(paid, refunded=refunded) <= 0:
        return PaymentState.REFUNDED
    return PaymentState.PARTIALLY_REFUNDED
