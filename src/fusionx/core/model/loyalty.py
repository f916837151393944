"""The loyalty ledger: points a customer account earns on paid orders, spends as a
discount at checkout, and gives back (or gets back) when an order is refunded.

The rules, in one place:
- earn: ``EARN_POINTS_PER_UNIT`` point per whole currency unit (100 cents) of a paid
  order's ``total_cents`` (what the customer paid, after any discount), rounded down;
- spend: each point is worth ``POINT_VALUE_CENTS`` cent off an order; a customer spends
  at most their balance;
- reverse: a succeeded refund takes back the points earned on the part refunded (its
  whole currency units, never more than the order earned; all that is left once the
  order is wholly refunded), and a wholly refunded order returns the points spent on it.

A balance is the sum of an account's entries. Each entry has a ``key`` unique in the
ledger (one per order and kind, one per refund for a reversal): recording the same
key twice keeps the first, so a replayed webhook or a retried refund never counts twice.
An entry's id is derived from its key, so the same fact has the same id everywhere.
A reversal may take a balance below zero (the points were spent already): the ledger
says what happened, and the account spends nothing until it earns again.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from uuid import UUID

import msgspec

CENTS_PER_UNIT = 100
EARN_POINTS_PER_UNIT = 1
POINT_VALUE_CENTS = 1
# Ids of entries are UUIDv5 of their keys in this namespace.
_NAMESPACE = UUID("5b8f1c2e-6f0c-4d1e-9a47-3c1f2b9d7e60")


class EntryKind(enum.StrEnum):
    EARNED = "earned"  # on a paid order: points in
    SPENT = "spent"  # a discount at checkout: points out
    REVERSED = "reversed"  # a refund took back points earned: points out
    RETURNED = "returned"  # a wholly refunded order gave back points spent: points in


class LoyaltyEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One movement of points: ``points`` is signed (in positive, out negative)."""

    id: UUID
    key: str
    customer_id: UUID
    order_id: UUID
    kind: EntryKind
    points: int
    at: datetime
    refund_id: UUID | None = None

    @classmethod
    def of(
        cls,
        kind: EntryKind,
        *,
        customer_id: UUID,
        order_id: UUID,
        points: int,
        at: datetime,
        refund_id: UUID | None = None,
    ) -> LoyaltyEntry:
        """The entry of ``kind`` for an order (for a refund, when ``refund_id``): its key
        and id follow from what it is about; ``points`` is made positive or negative."""
        key = f"{kind.value}:{refund_id if kind is EntryKind.REVERSED else order_id}"
        signed = points if kind in (EntryKind.EARNED, EntryKind.RETURNED) else -points
        return cls(
            id=uuid.uuid5(_NAMESPACE, key),
            key=key,
            customer_id=customer_id,
            order_id=order_id,
            kind=kind,
            points=signed,
            at=at,
            refund_id=refund_id,
        )


def points_earned(paid_cents: int) -> int:
    """What a paid order earns."""
    return max(0, paid_cents) // CENTS_PER_UNIT * EARN_POINTS_PER_UNIT


def discount_cents(points: int) -> int:
    """What spending ``points`` takes off an order."""
    return points * POINT_VALUE_CENTS


def points_to_reverse(
    earned: int, reversed_so_far: int, refunded_cents: int, *, wholly_refunded: bool
) -> int:
    """Points a refund of ``refunded_cents`` takes back of an order that earned
    ``earned`` and had ``reversed_so_far`` taken back already (a positive count)."""
    left = max(0, earned - reversed_so_far)
    if wholly_refunded:
        return left
    return min(left, points_earned(refunded_cents))


def balance_of(entries: list[LoyaltyEntry]) -> int:
    return sum(entry.points for entry in entries)
