"""The window and the kitchen against hand-written fakes of the API."""

from __future__ import annotations

import asyncio
import random
from typing import Any

from fusionx.simulator.api import (
    Full,
    MenuItem,
    ModifierGroup,
    ModifierOption,
    Shortage,
    Stale,
)
from fusionx.simulator.kitchen import NEXT_STATE, Kitchen
from fusionx.simulator.messages import TicketView
from fusionx.simulator.window import Window, random_lines


class FakeTickets:
    """Tickets with versions, as the server keeps them; ``bumps`` lets someone else
    move a ticket just before the kitchen's next attempt."""

    def __init__(self) -> None:
        self.tickets: dict[str, tuple[str, int]] = {}
        self.bumps: set[str] = set()

    async def move_ticket(self, ticket_id: str, to: str, version: int) -> int | Stale:
        state, current = self.tickets[ticket_id]
        if ticket_id in self.bumps:
            self.bumps.discard(ticket_id)
            state, current = NEXT_STATE[state], current + 1
            self.tickets[ticket_id] = (state, current)
        if version != current or NEXT_STATE.get(state) != to:
            return Stale(state=state, version=current)
        self.tickets[ticket_id] = (to, current + 1)
        return current + 1


def ticket(ticket_id: str, state: str = "new", version: int = 1) -> TicketView:
    return TicketView(id=ticket_id, number=int(ticket_id[1:]), state=state, version=version)


async def work(fake: FakeTickets, *tickets: TicketView) -> Kitchen:
    async with asyncio.TaskGroup() as tasks:
        kitchen = Kitchen(fake, spawn=tasks.create_task, prep_seconds=0, rng=random.Random(1))
        for t in tickets:
            fake.tickets.setdefault(t.id, (t.state, t.version))
            kitchen.take(t)
        await kitchen.finished()
    return kitchen


async def test_the_kitchen_takes_every_ticket_to_completed() -> None:
    fake = FakeTickets()

    kitchen = await work(fake, ticket("t1"), ticket("t2"), ticket("t3", "ready", 3))

    assert fake.tickets == {"t1": ("completed", 4), "t2": ("completed", 4), "t3": ("completed", 4)}
    assert (kitchen.completed, kitchen.moves, kitchen.conflicts) == (3, 7, 0)


async def test_a_ticket_moved_by_someone_else_is_re_read_and_carried_on() -> None:
    fake = FakeTickets()
    fake.bumps.add("t1")

    kitchen = await work(fake, ticket("t1"))

    assert fake.tickets["t1"] == ("completed", 4)
    assert (kitchen.conflicts, kitchen.moves, kitchen.completed) == (1, 2, 1)


async def test_a_ticket_is_taken_once_and_finished_ones_not_at_all() -> None:
    fake = FakeTickets()

    kitchen = await work(fake, ticket("t1"), ticket("t1"), ticket("t2", "completed", 4))

    assert (kitchen.completed, kitchen.moves) == (1, 3)
    assert fake.tickets["t2"] == ("completed", 4)


class FakeOrderTaker:
    def __init__(self, short_every: int = 0) -> None:
        self.orders: list[list[dict[str, Any]]] = []
        self.short_every = short_every

    async def place_order(
        self, shift_id: str, lines: list[dict[str, Any]], customer_name: str | None = None
    ) -> TicketView | Shortage:
        assert shift_id == "s1"
        assert customer_name is None or customer_name.isalpha()
        self.orders.append(lines)
        if self.short_every and len(self.orders) % self.short_every == 0:
            return Shortage(detail="Not enough stock")
        return ticket(f"t{len(self.orders)}")


MENU = [MenuItem(id=f"i{n}", name=f"Item {n}", price_cents=100 * n) for n in range(1, 6)]


def test_random_lines_are_one_to_three_distinct_items_of_one_or_two() -> None:
    rng = random.Random(3)
    for _ in range(200):
        lines = random_lines(MENU, rng)
        assert 1 <= len(lines) <= 3
        assert len({line["item_id"] for line in lines}) == len(lines)
        assert all(line["quantity"] in (1, 2) for line in lines)


def _group(name: str, low: int, high: int, options: int) -> ModifierGroup:
    return ModifierGroup(
        id=name,
        min_choices=low,
        max_choices=high,
        options=[ModifierOption(id=f"{name}{n}") for n in range(options)],
    )


def test_random_lines_choose_modifiers_within_every_groups_minimum_and_maximum() -> None:
    groups = [_group("base", 1, 1, 2), _group("top", 2, 3, 4), _group("side", 0, 2, 3)]
    bowl = MenuItem(id="bowl", name="Bowl", price_cents=900, modifier_groups=groups)
    plain = MenuItem(id="tea", name="Tea", price_cents=200)
    rng = random.Random(5)
    for _ in range(300):
        for line in random_lines([bowl, plain], rng):
            chosen = line["modifiers"]
            assert len(set(chosen)) == len(chosen)
            if line["item_id"] == "tea":
                assert chosen == []
                continue
            for group in groups:
                picked = [c for c in chosen if c.startswith(group.id)]
                assert group.min_choices <= len(picked) <= group.max_choices
            assert len(chosen) == sum(any(c.startswith(g.id) for g in groups) for c in chosen)


def test_only_items_available_now_and_in_stock_are_orderable() -> None:
    assert MenuItem(id="a", name="A", price_cents=1, on_hand=3).orderable
    assert not MenuItem(id="b", name="B", price_cents=1, on_hand=3, available=False).orderable
    assert not MenuItem(id="c", name="C", price_cents=1, sold_out=True).orderable


async def test_the_window_places_every_order_and_calls_halfway_once() -> None:
    taker = FakeOrderTaker(short_every=4)
    halfway_after: list[int] = []

    async def halfway() -> None:
        halfway_after.append(len(taker.orders))

    window = Window(taker, "s1", MENU, orders=10, rate=10_000, rng=random.Random(2))
    await window.run(halfway)

    assert len(taker.orders) == 10
    assert (len(window.placed), window.refused) == (8, 2)
    assert halfway_after == [5]


class RacyTickets(FakeTickets):
    """A broken server: it checks the version, then yields before writing."""

    async def move_ticket(self, ticket_id: str, to: str, version: int) -> int | Stale:
        state, current = self.tickets[ticket_id]
        if version != current or NEXT_STATE.get(state) != to:
            return Stale(state=state, version=current)
        await asyncio.sleep(0)
        self.tickets[ticket_id] = (to, current + 1)
        return current + 1


async def double_tapping(fake: FakeTickets, *tickets: TicketView) -> Kitchen:
    async with asyncio.TaskGroup() as tasks:
        kitchen = Kitchen(
            fake, spawn=tasks.create_task, prep_seconds=0, rng=random.Random(1), double_tap=1.0
        )
        for t in tickets:
            fake.tickets[t.id] = (t.state, t.version)
            kitchen.take(t)
        await kitchen.finished()
    return kitchen


async def test_of_two_taps_at_once_one_wins_and_the_other_is_refused() -> None:
    kitchen = await double_tapping(FakeTickets(), ticket("t1"))

    assert (kitchen.double_taps, kitchen.conflicts, kitchen.double_wins) == (3, 3, 0)
    assert kitchen.completed == 1


async def test_a_server_that_lets_both_taps_win_is_caught() -> None:
    kitchen = await double_tapping(RacyTickets(), ticket("t1"))

    assert kitchen.double_wins == 3


class FullAfter(FakeOrderTaker):
    """A shift whose capacity refuses every order after the first ``room``."""

    def __init__(self, room: int) -> None:
        super().__init__()
        self.room = room

    async def place_order(
        self, shift_id: str, lines: list[dict[str, Any]], customer_name: str | None = None
    ) -> TicketView | Shortage | Full:
        placed = await super().place_order(shift_id, lines, customer_name)
        if len(self.orders) > self.room:
            return Full(detail="slot full", limit="orders_per_slot", next_slot="12:15")
        return placed


async def test_orders_refused_for_capacity_are_counted_not_failed() -> None:
    window = Window(FullAfter(3), "s1", MENU, orders=5, rate=10_000, rng=random.Random(1))

    async def halfway() -> None:
        return None

    await window.run(halfway)

    assert (len(window.placed), window.refused) == (3, 0)
    assert [full.next_slot for full in window.full] == ["12:15", "12:15"]
