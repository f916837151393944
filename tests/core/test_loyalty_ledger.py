"""The loyalty ledger's rules, run on the in-memory unit of work: whatever is earned,
spent, refunded and replayed, in whatever order, the entries sum to the balance, nothing
counts twice, a refund never takes back more than its order earned, and a spend never
goes past the balance."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import msgspec
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from fusionx.adapters.memory.unit_of_work import InMemoryUnitOfWorkFactory
from fusionx.core.errors import InvalidInput
from fusionx.core.model.actors import Actor
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.customers import Customer
from fusionx.core.model.loyalty import EntryKind, LoyaltyEntry, discount_cents, points_earned
from fusionx.core.model.orders import Order, OrderChannel
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.refunds import Refund
from fusionx.core.use_cases.steps.loyalty import earn_points, reverse_points, spend_points

AT = datetime(2026, 12, 3, 12, tzinfo=UTC)
ACTOR = Actor(kind=PrincipalKind.STAFF, id=uuid4())


def an_order(customer_id: UUID, total_cents: int) -> Order:
    return Order(
        id=uuid4(), shift_id=uuid4(), number=1, channel=OrderChannel.ONLINE, lines=(),
        total_cents=total_cents, created_at=AT, created_by=ACTOR, customer_id=customer_id,
    )  # fmt: skip


def a_refund(order: Order, amount_cents: int) -> Refund:
    return Refund(
        id=uuid4(), order_id=order.id, shift_id=order.shift_id,
        reason=CancelReason.CUSTOMER_REQUEST, amount_cents=amount_cents, lines=(),
        actor=ACTOR, at=AT,
    )  # fmt: skip


class Ledger(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.units = InMemoryUnitOfWorkFactory()
        self.customer = Customer(id=uuid4(), created_at=AT, email="ana@example.com")
        self.orders: list[Order] = []
        self.refunded: dict[UUID, int] = {}
        self.refunds: list[tuple[Order, Refund, bool]] = []
        self.run(self.step(lambda uow: uow.customers.add(self.customer)))

    def run(self, work: Any) -> Any:
        return self.loop.run_until_complete(work)

    def teardown(self) -> None:
        self.loop.close()

    async def step(self, work: Any) -> Any:
        async with self.units() as uow:
            done = await work(uow)
            await uow.commit()
        return done

    @rule(total=st.integers(min_value=0, max_value=10_000))
    def an_order_is_paid(self, total: int) -> None:
        order = an_order(self.customer.id, total)
        self.orders.append(order)
        self.run(self.step(lambda uow: earn_points(uow, order, total, AT)))

    @rule(data=st.data())
    def a_payment_is_replayed(self, data: st.DataObject) -> None:
        if self.orders:
            order = data.draw(st.sampled_from(self.orders))
            earned = self.run(self.step(lambda uow: earn_points(uow, order, order.total_cents, AT)))
            assert earned == 0

    @rule(data=st.data(), points=st.integers(min_value=1, max_value=300))
    def points_are_spent(self, data: st.DataObject, points: int) -> None:
        # At the order's checkout (check_out.py), so before any refund of it.
        unrefunded = [o.id for o in self.orders if o.id not in self.refunded]
        order_id = data.draw(st.sampled_from(unrefunded or [uuid4()]))
        balance = self.balance()
        try:
            discount = self.run(
                self.step(lambda uow: spend_points(uow, self.customer.id, order_id, points, AT))
            )
        except InvalidInput as refused:
            assert (refused.field, points > balance) == ("points", True)  # noqa: PT017
        else:
            assert discount in (discount_cents(points), *self.spent_on(order_id))

    @rule(data=st.data(), share=st.integers(min_value=1, max_value=100))
    def an_order_is_refunded(self, data: st.DataObject, share: int) -> None:
        if not self.orders:
            return
        order = data.draw(st.sampled_from(self.orders))
        left = order.total_cents - self.refunded.get(order.id, 0)
        if left <= 0:
            return
        amount = max(1, left * share // 100)
        self.refunded[order.id] = self.refunded.get(order.id, 0) + amount
        whole = self.refunded[order.id] >= order.total_cents
        refund = a_refund(order, amount)
        self.refunds.append((order, refund, whole))
        self.run(
            self.step(lambda uow: reverse_points(uow, order, refund, AT, wholly_refunded=whole))
        )

    @rule(data=st.data())
    def a_refund_is_seen_again(self, data: st.DataObject) -> None:
        if self.refunds:
            order, refund, whole = data.draw(st.sampled_from(self.refunds))
            before = self.balance()
            self.run(
                self.step(lambda uow: reverse_points(uow, order, refund, AT, wholly_refunded=whole))
            )
            assert self.balance() == before

    def balance(self) -> int:
        async def read(uow: Any) -> int:
            return int(await uow.loyalty.balance(self.customer.id))

        return int(self.run(self.step(read)))

    def entries(self) -> list[Any]:
        async def read(uow: Any) -> list[Any]:
            page = await uow.loyalty.entries(self.customer.id, PageRequest(limit=200))
            return list(page.items)

        return list(self.run(self.step(read)))

    def spent_on(self, order_id: UUID) -> list[int]:
        return [
            -e.points
            for e in self.entries()
            if e.order_id == order_id and e.kind is EntryKind.SPENT
        ]

    @invariant()
    def the_entries_sum_to_the_balance_and_count_once(self) -> None:
        entries = self.entries()
        assert sum(e.points for e in entries) == self.balance()
        assert len({e.key for e in entries}) == len(entries)

    @invariant()
    def no_order_gives_back_more_than_it_earned_nor_earns_twice(self) -> None:
        for order in self.orders:
            mine = [e for e in self.entries() if e.order_id == order.id]
            earned = sum(e.points for e in mine if e.kind is EntryKind.EARNED)
            taken = -sum(e.points for e in mine if e.kind is EntryKind.REVERSED)
            assert earned == points_earned(order.total_cents)
            assert 0 <= taken <= earned
            # Wholly refunded by a refund: a free order, never refunded, is not.
            if any(whole for refunded, _, whole in self.refunds if refunded.id == order.id):
                assert taken == earned  # all of it
                spent = -sum(e.points for e in mine if e.kind is EntryKind.SPENT)
                returned = sum(e.points for e in mine if e.kind is EntryKind.RETURNED)
                assert returned == spent


Ledger.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
test_the_ledger_holds_whatever_happens = Ledger.TestCase


async def test_spending_more_than_the_balance_is_refused_naming_points() -> None:
    units = InMemoryUnitOfWorkFactory()
    ana = Customer(id=uuid4(), created_at=AT)
    order = an_order(ana.id, 1500)
    async with units() as uow:
        await uow.customers.add(ana)
        assert await earn_points(uow, order, 1500, AT) == 15
        with pytest.raises(InvalidInput) as refused:
            await spend_points(uow, ana.id, uuid4(), 16, AT)
        assert refused.value.field == "points"
        assert refused.value.message.params == {"balance": 15}
        with pytest.raises(InvalidInput):
            await spend_points(uow, ana.id, uuid4(), 0, AT)
        assert await spend_points(uow, ana.id, order.id, 10, AT) == 10  # 1 cent a point
        assert await spend_points(uow, ana.id, order.id, 10, AT) == 10  # a retry: the same
        assert await uow.loyalty.balance(ana.id) == 5
        types = [e.type.value for e in uow.fleet_events._pending]
    assert types == ["loyalty.points_earned", "loyalty.points_spent"]


def test_an_entrys_id_and_key_follow_from_what_it_is_about() -> None:
    order_id, refund_id, customer_id = uuid4(), uuid4(), uuid4()
    about = {"customer_id": customer_id, "order_id": order_id, "points": 3, "at": AT}
    earned = LoyaltyEntry.of(EntryKind.EARNED, **about)
    again = LoyaltyEntry.of(EntryKind.EARNED, **{**about, "points": 4})
    reversal = LoyaltyEntry.of(EntryKind.REVERSED, **about, refund_id=refund_id)
    assert (earned.key, earned.id) == (again.key, again.id)
    assert earned.key == f"earned:{order_id}"
    assert reversal.key == f"reversed:{refund_id}"
    assert (earned.points, reversal.points) == (3, -3)
    assert msgspec.json.decode(msgspec.json.encode(reversal), type=LoyaltyEntry) == reversal
