"""Moving points on the loyalty ledger: earned on a paid order, spent at checkout,
reversed on a refund (``core.model.loyalty`` holds the rules and the conversion).

Each step writes its entry and, when the entry is new, its event on the fleet's stream
(``loyalty.points_*``, for an external loyalty programme), in the caller's unit of
work: both are kept with the change that caused them, or neither is. The account's row
is locked first (``get_for_update``), so spends of one balance run one at a time and
each event's ``balance`` is the balance after its entry.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.fleet_events import (
    LoyaltyPointsEarned,
    LoyaltyPointsReversed,
    LoyaltyPointsSpent,
    Stream,
)
from fusionx.core.model.loyalty import (
    EntryKind,
    LoyaltyEntry,
    discount_cents,
    points_earned,
    points_to_reverse,
)
from fusionx.core.model.orders import Order
from fusionx.core.model.paging import MAX_OFFSET
from fusionx.core.model.refunds import Refund
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.ports.unit_of_work import UnitOfWork

MAX_POINTS = MAX_OFFSET  # like every integer a client sends: it fits 32 bits


async def earn_points(uow: UnitOfWork, order: Order, paid_cents: int, at: datetime) -> int:
    """Credit the account that placed ``order`` for ``paid_cents`` paid; the points
    credited (0 for a guest's or a window order, or one credited already)."""
    if order.customer_id is None or await uow.customers.get_for_update(order.customer_id) is None:
        return 0
    points = points_earned(paid_cents)
    if points <= 0:
        return 0
    entry = LoyaltyEntry.of(
        EntryKind.EARNED, customer_id=order.customer_id, order_id=order.id, points=points, at=at
    )
    if not await uow.loyalty.record(entry):
        return 0
    balance = await uow.loyalty.balance(order.customer_id)
    await log_fleet_event(
        uow, Stream.fleet(), at, None, LoyaltyPointsEarned(entry=entry, balance=balance)
    )
    return points


async def spend_points(
    uow: UnitOfWork, customer_id: UUID, order_id: UUID, points: int, at: datetime
) -> int:
    """Spend ``points`` of the account's balance on ``order_id``; the discount they buy,
    in cents (``POINT_VALUE_CENTS`` a point).

    422 on ``points`` for fewer than 1 (or an absurd number), or more than the balance.
    Spending again on the same order changes nothing and gives the first spend's
    discount (a retried checkout). The caller takes the discount off the order's total.
    """
    if not 1 <= points <= MAX_POINTS:
        raise InvalidInput("points", Message("input.between", {"low": 1, "high": MAX_POINTS}))
    customer = await uow.customers.get_for_update(customer_id)
    spent = [
        e
        for e in await uow.loyalty.for_order(order_id)
        if e.kind is EntryKind.SPENT and e.customer_id == customer_id
    ]
    if spent:
        return discount_cents(-spent[0].points)
    balance = 0 if customer is None else await uow.loyalty.balance(customer_id)
    if customer is None or not customer.active or points > balance:
        raise InvalidInput(
            "points", Message("loyalty.not_enough_points", {"balance": max(0, balance)})
        )
    entry = LoyaltyEntry.of(
        EntryKind.SPENT, customer_id=customer_id, order_id=order_id, points=points, at=at
    )
    await uow.loyalty.record(entry)
    discount = discount_cents(points)
    spent_event = LoyaltyPointsSpent(entry=entry, balance=balance - points, discount_cents=discount)
    await log_fleet_event(uow, Stream.fleet(), at, None, spent_event)
    return discount


async def reverse_points(
    uow: UnitOfWork, order: Order, refund: Refund, at: datetime, *, wholly_refunded: bool
) -> None:
    """A succeeded ``refund`` of ``order``: take back the points earned on what it gave
    back and, once the order is ``wholly_refunded``, return the points spent on it.
    A refund seen again (a retry, a replayed answer) moves nothing more."""
    customer_id = order.customer_id
    if customer_id is None or await uow.customers.get_for_update(customer_id) is None:
        return
    entries = await uow.loyalty.for_order(order.id)
    earned = _total(entries, EntryKind.EARNED)
    taken_back = -_total(entries, EntryKind.REVERSED)
    points = points_to_reverse(
        earned, taken_back, refund.amount_cents, wholly_refunded=wholly_refunded
    )
    if points > 0:
        entry = LoyaltyEntry.of(
            EntryKind.REVERSED,
            customer_id=customer_id,
            order_id=order.id,
            points=points,
            at=at,
            refund_id=refund.id,
        )
        await _record_reversal(uow, entry)
    spent = -_total(entries, EntryKind.SPENT) - _total(entries, EntryKind.RETURNED)
    if wholly_refunded and spent > 0:
        entry = LoyaltyEntry.of(
            EntryKind.RETURNED, customer_id=customer_id, order_id=order.id, points=spent, at=at
        )
        await _record_reversal(uow, entry)


async def _record_reversal(uow: UnitOfWork, entry: LoyaltyEntry) -> None:
    if await uow.loyalty.record(entry):
        balance = await uow.loyalty.balance(entry.customer_id)
        reversed_event = LoyaltyPointsReversed(entry=entry, balance=balance)
        await log_fleet_event(uow, Stream.fleet(), entry.at, None, reversed_event)


def _total(entries: list[LoyaltyEntry], kind: EntryKind) -> int:
    return sum(e.points for e in entries if e.kind is kind)
