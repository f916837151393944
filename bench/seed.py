"""A realistic fleet, written in bulk with COPY into the schema the migrations made.

Trucks, locations and the menu are plain rows. Shifts are opened through the API
(check-in writes the shift's history and first event as the product does); their day so
far is then bulk-written: a restock of every item, hours of orders whose tickets were
worked to completion or cancelled, and the open tickets the kitchen display shows. Each
order takes its stock from the ledger and every change has its numbered event, so the
invariants the product keeps (on-hand is the ledger's sum, events 1..last_seq with no
gap) hold in the seeded data too.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import asyncpg
import msgspec

CATEGORIES = ("Tacos", "Bowls", "Noodles", "Sides", "Drinks")
DISHES = (
    "Carnitas taco", "Chicken tinga taco", "Nopal taco", "Fish taco", "Birria taco",
    "Al pastor taco", "Rice bowl", "Poke bowl", "Burrito bowl", "Dan dan noodles",
    "Pad see ew", "Cold sesame noodles", "Ramen", "Laksa", "Elote", "Pickled slaw",
    "Fries", "Churros", "Horchata", "Lime agua fresca", "Sparkling water", "Iced tea",
)  # fmt: skip
NOTES = ("no onions", "extra salsa", "gluten free", "spicy", "no cilantro", "sauce on side")
CUSTOMERS = ("Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", None, None)
PLENTY = 1_000_000  # units restocked of an ordinary item: never runs out in a run
SCARCE = 3  # units of the day's special: orders race for the last ones, by design
DONE_STEPS = ("in_prep", "ready", "completed")
OPEN_STATES = ("new", "in_prep", "ready")


@dataclass(frozen=True, kw_only=True)
class Item:
    id: uuid.UUID
    name: str
    price_cents: int
    scarce: bool


@dataclass(kw_only=True)
class Shift:
    id: uuid.UUID
    truck_id: uuid.UUID
    credential: str  # the TruckKDS device credential of the shift's truck


@dataclass(kw_only=True)
class Fleet:
    trucks: list[uuid.UUID]
    locations: list[uuid.UUID]
    items: list[Item]
    owner_id: uuid.UUID | None = None
    shifts: list[Shift] = field(default_factory=list)


async def seed_base(connection: asyncpg.Connection, trucks: int, menu_items: int) -> Fleet:
    """Trucks, locations, menu categories and items."""
    now = datetime.now(UTC)
    truck_ids = [uuid.uuid4() for _ in range(trucks)]
    await connection.copy_records_to_table(
        "trucks",
        columns=("id", "name", "active", "created_at"),
        records=[(t, f"Truck {n + 1:02d}", True, now) for n, t in enumerate(truck_ids)],
    )
    location_ids = [uuid.uuid4() for _ in range(max(1, trucks // 4))]
    await connection.copy_records_to_table(
        "locations",
        columns=(
            "id", "name", "timezone", "address", "latitude", "longitude", "active", "created_at",
        ),
        records=[
            (loc, f"Market {n + 1}", "Europe/London", f"{n + 1} High St", 51.5, -0.12, True, now)
            for n, loc in enumerate(location_ids)
        ],
    )  # fmt: skip
    category_ids = [uuid.uuid4() for _ in CATEGORIES]
    await connection.copy_records_to_table(
        "menu_categories",
        columns=("id", "name", "display_order", "active", "created_at"),
        records=[
            (category, name, n, True, now)
            for n, (category, name) in enumerate(zip(category_ids, CATEGORIES, strict=True))
        ],
    )
    items = [
        Item(
            id=uuid.uuid4(),
            name=f"{DISHES[n % len(DISHES)]} #{n + 1}",
            price_cents=250 + 25 * (n % 40),
            scarce=n == min(7, menu_items - 1),  # the day's special, in short supply
        )
        for n in range(menu_items)
    ]
    await connection.copy_records_to_table(
        "menu_items",
        columns=(
            "id", "category_id", "name", "description", "price_cents", "display_order",
            "active", "created_at",
        ),
        records=[
            (i.id, category_ids[n % len(category_ids)], i.name, f"House {i.name.lower()}",
             i.price_cents, n, True, now)
            for n, i in enumerate(items)
        ],
    )  # fmt: skip
    return Fleet(trucks=truck_ids, locations=location_ids, items=items)


class _Rows:
    """Rows per table, written with one COPY each."""

    COLUMNS: ClassVar[dict[str, tuple[str, ...]]] = {
        "shifts": (
            "id", "truck_id", "location_id", "state", "opened_at", "opened_by_kind",
            "opened_by_id", "closed_at", "last_seq", "last_order_number",
        ),
        "orders": (
            "id", "shift_id", "number", "channel", "total_cents", "created_at",
            "created_by_kind", "created_by_id", "customer_name",
        ),
        "order_lines": (
            "order_id", "position", "item_id", "name", "unit_price_cents", "quantity", "notes",
        ),
        "tickets": (
            "id", "order_id", "shift_id", "number", "state", "version", "created_at", "updated_at",
            "prep_at", "ready_at",
        ),
        "ticket_transitions": (
            "ticket_id", "source", "target", "version", "at", "actor_kind", "actor_id", "reason",
        ),
        "shift_stock": ("shift_id", "item_id", "on_hand"),
        "stock_movements": (
            "id", "shift_id", "item_id", "delta", "on_hand_after", "reason", "actor_kind",
            "actor_id", "at", "order_id", "note",
        ),
        "shift_events": ("shift_id", "seq", "type", "at", "data"),
    }  # fmt: skip

    def __init__(self) -> None:
        self.tables: dict[str, list[tuple[Any, ...]]] = {name: [] for name in self.COLUMNS}

    async def write(self, connection: asyncpg.Connection) -> None:
        for table, records in self.tables.items():
            if records:
                await connection.copy_records_to_table(
                    table, columns=self.COLUMNS[table], records=records
                )


@dataclass(kw_only=True)
class _Day:
    """One shift's history being written: its counters, stock and the rows so far."""

    shift_id: uuid.UUID
    rows: _Rows
    actor: tuple[str, uuid.UUID]
    seq: int
    number: int
    stock: dict[uuid.UUID, int] = field(default_factory=dict)

    def event(self, kind: str, at: datetime, data: dict[str, Any]) -> None:
        self.seq += 1
        payload = msgspec.json.encode(data).decode()
        self.rows.tables["shift_events"].append((self.shift_id, self.seq, kind, at, payload))

    def movement(
        self, item: uuid.UUID, delta: int, reason: str, at: datetime, order: uuid.UUID | None
    ) -> None:
        self.stock[item] = self.stock.get(item, 0) + delta
        kind, actor = self.actor
        self.rows.tables["stock_movements"].append(
            (uuid.uuid4(), self.shift_id, item, delta, self.stock[item], reason, kind, actor, at,
             order, None)
        )  # fmt: skip
        self.event(
            "stock.changed",
            at,
            {"item_id": item, "delta": delta, "on_hand": self.stock[item], "reason": reason,
             "order_id": order},
        )  # fmt: skip


def _restock(day: _Day, items: Iterable[Item], at: datetime) -> None:
    for item in items:
        day.movement(item.id, SCARCE if item.scarce else PLENTY, "restock", at, None)


def _order(day: _Day, items: list[Item], rng: random.Random, at: datetime) -> uuid.UUID:
    """An order of 1-5 lines, its stock taken, and its NEW ticket. Returns the ticket id."""
    day.number += 1
    order_id, ticket_id = uuid.uuid4(), uuid.uuid4()
    plain = [i for i in items if not i.scarce]
    chosen = rng.sample(plain, k=min(len(plain), rng.randint(1, 5)))
    lines = []
    for position, item in enumerate(chosen):
        quantity = rng.choice((1, 1, 1, 2, 3))
        notes = rng.choice(NOTES) if rng.random() < 0.3 else None
        lines.append((order_id, position, item.id, item.name, item.price_cents, quantity, notes))
    total = sum(line[4] * line[5] for line in lines)
    kind, actor = day.actor
    customer = rng.choice(CUSTOMERS)
    day.rows.tables["orders"].append(
        (order_id, day.shift_id, day.number, "window", total, at, kind, actor, customer)
    )
    day.rows.tables["order_lines"].extend(lines)
    day.rows.tables["tickets"].append(
        (ticket_id, order_id, day.shift_id, day.number, "new", 1, at, at, None, None)
    )
    ticket = {"id": ticket_id, "order_id": order_id, "number": day.number, "state": "new"}
    day.event("order.created", at, {"order": {"id": order_id, "number": day.number,
              "total_cents": total, "customer_name": customer}, "ticket": ticket})  # fmt: skip
    wanted = Counter[uuid.UUID]()
    for line in lines:
        wanted[line[2]] += line[5]
    for item_id, quantity in sorted(wanted.items()):
        day.movement(item_id, -quantity, "sale", at, order_id)
    return ticket_id


def _work(
    day: _Day, ticket: uuid.UUID, steps: Iterable[str], at: datetime
) -> tuple[str, int, datetime | None, datetime | None]:
    """Move a NEW ticket through ``steps``; returns its final state and version, and the
    times its moves keep on the row as the application's do (first to in_prep, last to
    ready)."""
    state, version = "new", 1
    prep_at: datetime | None = None
    ready_at: datetime | None = None
    kind, actor = day.actor
    for target in steps:
        at += timedelta(minutes=2)
        version += 1
        if target == "in_prep" and prep_at is None:
            prep_at = at
        if target == "ready":
            ready_at = at
        day.rows.tables["ticket_transitions"].append(
            (ticket, state, target, version, at, kind, actor, None)
        )
        day.event(
            "ticket.state_changed",
            at,
            {"ticket_id": ticket, "from": state, "to": target, "version": version},
        )
        state = target
    return state, version, prep_at, ready_at


def _tickets_worked(
    day: _Day, items: list[Item], rng: random.Random, *, start: datetime, done: int, open_: int
) -> None:
    """``done`` tickets finished (some cancelled) then ``open_`` still on the display."""
    tickets = day.rows.tables["tickets"]
    total = done + open_
    for n in range(total):
        at = start + timedelta(seconds=30 * n)
        ticket = _order(day, items, rng, at)
        steps: tuple[str, ...]
        if n < done:
            steps = ("cancelled",) if rng.random() < 0.05 else DONE_STEPS
        else:
            steps = DONE_STEPS[: OPEN_STATES.index(rng.choice(OPEN_STATES))]
        state, version, prep_at, ready_at = _work(day, ticket, steps, at)
        last = tickets[-1]
        tickets[-1] = (
            *last[:4],
            state,
            version,
            last[6],
            at + timedelta(minutes=2 * (version - 1)),
            prep_at,
            ready_at,
        )


async def seed_history(
    connection: asyncpg.Connection, fleet: Fleet, *, open_tickets: int, closed_tickets: int
) -> None:
    """Each open shift's day so far, and one closed shift per truck from yesterday.

    Half the closed tickets were worked earlier in today's shifts, half yesterday.
    """
    rng = random.Random(8)  # the same fleet every run
    rows = _Rows()
    actor = ("staff", fleet.owner_id or uuid.uuid4())
    now = datetime.now(UTC)
    per_shift = max(1, closed_tickets // (2 * max(1, len(fleet.shifts))))
    async with connection.transaction():
        for shift in fleet.shifts:
            opened = now - timedelta(seconds=30 * (per_shift + open_tickets) + 600)
            await _backdate_opening(connection, shift.id, opened)
            counters = await connection.fetchrow(
                "SELECT last_seq, last_order_number FROM shifts WHERE id = $1 FOR UPDATE", shift.id
            )
            day = _Day(
                shift_id=shift.id, rows=rows, actor=actor, seq=counters[0], number=counters[1]
            )
            _restock(day, fleet.items, opened)
            start = opened + timedelta(minutes=5)
            _tickets_worked(day, fleet.items, rng, start=start, done=per_shift, open_=open_tickets)
            rows.tables["shift_stock"].extend(
                (shift.id, item, level) for item, level in day.stock.items()
            )
            await connection.execute(
                "UPDATE shifts SET last_seq = $2, last_order_number = $3 WHERE id = $1",
                shift.id, day.seq, day.number,
            )  # fmt: skip
        for shift in fleet.shifts:
            yesterday = now - timedelta(days=1)
            _yesterday(rows, fleet, shift, rng, actor=actor, opened=yesterday, tickets=per_shift)
        await rows.write(connection)
    await connection.execute("ANALYZE")


async def _backdate_opening(connection: asyncpg.Connection, shift: uuid.UUID, at: datetime) -> None:
    """Move the check-in the API just made to the morning, with its history and event."""
    await connection.execute("UPDATE shifts SET opened_at = $2 WHERE id = $1", shift, at)
    await connection.execute("UPDATE shift_transitions SET at = $2 WHERE shift_id = $1", shift, at)
    await connection.execute("UPDATE shift_events SET at = $2 WHERE shift_id = $1", shift, at)


def _yesterday(
    rows: _Rows,
    fleet: Fleet,
    shift: Shift,
    rng: random.Random,
    *,
    actor: tuple[str, uuid.UUID],
    opened: datetime,
    tickets: int,
) -> None:
    shift_id = uuid.uuid4()
    day = _Day(shift_id=shift_id, rows=rows, actor=actor, seq=0, number=0)
    day.event("shift.opened", opened, {"truck_id": shift.truck_id})
    _restock(day, fleet.items, opened)
    start = opened + timedelta(minutes=5)
    _tickets_worked(day, fleet.items, rng, start=start, done=tickets, open_=0)
    closed = opened + timedelta(hours=8)
    day.event("shift.closed", closed, {"truck_id": shift.truck_id})
    kind, actor_id = actor
    location = fleet.locations[0]
    # The shift row must precede its children in the COPY order: dict order is kept.
    rows.tables["shifts"].append(
        (shift_id, shift.truck_id, location, "closed", opened, kind, actor_id, closed, day.seq,
         day.number)
    )  # fmt: skip
    rows.tables["shift_stock"].extend((shift_id, item, level) for item, level in day.stock.items())


async def add_ticket_pool(
    connection: asyncpg.Connection, fleet: Fleet, per_shift: int
) -> list[tuple[uuid.UUID, Shift]]:
    """``per_shift`` NEW tickets on every open shift, for a run of transitions to work.

    Returned interleaved across shifts, so consecutive requests touch different shifts.
    """
    rng = random.Random(per_shift)
    rows = _Rows()
    now = datetime.now(UTC)
    made: list[list[tuple[uuid.UUID, Shift]]] = []
    async with connection.transaction():
        for shift in fleet.shifts:
            counters = await connection.fetchrow(
                "SELECT last_seq, last_order_number FROM shifts WHERE id = $1 FOR UPDATE", shift.id
            )
            levels = await connection.fetch(
                "SELECT item_id, on_hand FROM shift_stock WHERE shift_id = $1", shift.id
            )
            day = _Day(
                shift_id=shift.id, rows=rows, actor=("staff", fleet.owner_id or uuid.uuid4()),
                seq=counters[0], number=counters[1], stock=dict(levels),
            )  # fmt: skip
            made.append([(_order(day, fleet.items, rng, now), shift) for _ in range(per_shift)])
            await connection.execute(
                "UPDATE shifts SET last_seq = $2, last_order_number = $3 WHERE id = $1",
                shift.id, day.seq, day.number,
            )  # fmt: skip
            for item, level in day.stock.items():
                await connection.execute(
                    "UPDATE shift_stock SET on_hand = $3 WHERE shift_id = $1 AND item_id = $2",
                    shift.id, item, level,
                )  # fmt: skip
        await rows.write(connection)
    await connection.execute("ANALYZE tickets")
    return [ticket for group in zip(*made, strict=True) for ticket in group]
