"""Races between units of work on real databases: the ports' concurrency promises.

Every unit of work here has its own connection. On PostgreSQL they overlap for real;
on SQLite they serialize on BEGIN IMMEDIATE, and must do so without a single
'database is locked'.
"""

from __future__ import annotations

import asyncio
from uuid import UUID

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.engine import make_url

from fusionx.adapters.events import pg_payload
from fusionx.core.model.events import NewEvent
from fusionx.core.model.stock import StockReason
from fusionx.core.model.tickets import Ticket, TicketState
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.databases import MigratedDatabase
from tests.support.entities import (
    T0,
    a_location,
    a_move,
    a_movement,
    a_shift,
    a_truck,
)
from tests.support.events import a_numbered_event, number_of
from tests.support.races import race
from tests.support.scenes import a_new_ticket, a_shift_scene, restock_to


def _event(shift_id: UUID, n: int) -> NewEvent:
    return a_numbered_event(shift_id, n)


async def test_racing_takes_never_sell_more_than_there_is(
    racing_database: MigratedDatabase,
) -> None:
    uow_factory = racing_database.database.unit_of_work
    scene = await a_shift_scene(uow_factory, items=1)
    item = scene.items[0]
    await restock_to(uow_factory, scene, 10)

    async def buy_one(_: int) -> bool:
        async with uow_factory() as uow:
            # Read first, as placing an order does: on SQLite a DEFERRED transaction
            # would now hold a read snapshot it could not upgrade.
            assert await uow.shifts.get(scene.shift.id) is not None
            take = await uow.stock.take([a_movement(scene.shift.id, item.id, -1, StockReason.SALE)])
            if take.shortages:
                return False
            await uow.commit()
            return True

    sold = await race(50, buy_one)

    assert sold.count(True) == 10
    async with uow_factory() as uow:
        levels = await uow.stock.levels(scene.shift.id)
        ledger = await uow.stock.movements(scene.shift.id)
    assert levels == {item.id: 0}
    assert sum(m.delta for m in ledger) == 0
    sales = [m for m in ledger if m.reason is StockReason.SALE]
    assert len(sales) == 10
    assert sorted(m.on_hand_after for m in sales) == list(range(10))


async def test_racing_takes_of_several_items_neither_deadlock_nor_oversell(
    racing_database: MigratedDatabase,
) -> None:
    uow_factory = racing_database.database.unit_of_work
    scene = await a_shift_scene(uow_factory, items=3)
    await restock_to(uow_factory, scene, 10, 10, 10)

    async def buy_all(n: int) -> bool:
        # Every other buyer lists the items the other way round.
        items = scene.items if n % 2 else list(reversed(scene.items))
        async with uow_factory() as uow:
            assert await uow.shifts.get(scene.shift.id) is not None
            take = await uow.stock.take(
                [a_movement(scene.shift.id, i.id, -1, StockReason.SALE) for i in items]
            )
            if take.shortages:
                return False
            await uow.commit()
            return True

    sold = await asyncio.gather(*(buy_all(n) for n in range(30)))

    assert sold.count(True) == 10
    async with uow_factory() as uow:
        levels = await uow.stock.levels(scene.shift.id)
        ledger = await uow.stock.movements(scene.shift.id)
    assert levels == {item.id: 0 for item in scene.items}
    for item in scene.items:
        sales = [m for m in ledger if m.item_id == item.id and m.reason is StockReason.SALE]
        assert sorted(m.on_hand_after for m in sales) == list(range(10))


async def _one_winner_moved_it(
    uow_factory: UnitOfWorkFactory, ticket: Ticket, won: list[bool]
) -> None:
    """Of the racers moving ``ticket`` from version 1, one won: it is IN_PREP, version 2."""
    assert won.count(True) == 1
    async with uow_factory() as uow:
        final = await uow.tickets.get(ticket.id)
    assert final is not None
    assert (final.state, final.version) == (TicketState.IN_PREP, 2)


async def test_racing_moves_from_one_version_have_one_winner(
    racing_database: MigratedDatabase,
) -> None:
    uow_factory = racing_database.database.unit_of_work
    ticket = await a_new_ticket(uow_factory)

    async def bump(_: int) -> bool:
        async with uow_factory() as uow:
            assert await uow.tickets.get(ticket.id) is not None  # read first, as clients do
            moved = await uow.tickets.save_move(a_move(ticket, TicketState.IN_PREP, T0))
            await uow.commit()
            return moved

    await _one_winner_moved_it(uow_factory, ticket, await race(20, bump))


async def test_racing_recorded_moves_have_one_winner_and_one_history_row(
    racing_database: MigratedDatabase,
) -> None:
    uow_factory = racing_database.database.unit_of_work
    ticket = await a_new_ticket(uow_factory)

    async def bump(racer: int) -> bool:
        move = a_move(ticket, reason=f"racer {racer}")
        async with uow_factory() as uow:
            assert await uow.tickets.get_with_truck(ticket.id) is not None
            moved = await uow.tickets.save_move(move)
            await uow.commit()
            return moved

    await _one_winner_moved_it(uow_factory, ticket, await race(20, bump))
    async with uow_factory() as uow:
        history = await uow.tickets.history(ticket.id)
    assert [(move.target, move.version) for move in history] == [(TicketState.IN_PREP, 2)]


@pytest.mark.postgres
async def test_racing_check_ins_open_one_shift(postgres: MigratedDatabase) -> None:
    uow_factory = postgres.database.unit_of_work
    truck, location = a_truck(), a_location()
    async with uow_factory() as uow:
        await uow.trucks.add(truck)
        await uow.locations.add(location)
        await uow.commit()

    async def check_in(_: int) -> str:
        async with uow_factory() as uow:
            try:
                await uow.shifts.add(a_shift(truck.id, location.id))
            except UniqueViolation as violation:
                return violation.field
            await uow.commit()
            return "opened"

    outcomes = await race(20, check_in)

    assert outcomes.count("opened") == 1
    assert outcomes.count("truck_id") == 19


@pytest.mark.postgres
async def test_racing_appends_number_events_without_gaps(postgres: MigratedDatabase) -> None:
    uow_factory: UnitOfWorkFactory = postgres.database.unit_of_work
    scene = await a_shift_scene(uow_factory, items=0)

    async def append(n: int) -> None:
        async with uow_factory() as uow:
            await uow.events.append(_event(scene.shift.id, n))
            await uow.commit()

    await race(100, append)

    async with uow_factory() as uow:
        logged = await uow.events.since(scene.shift.id, 0)
        assert await uow.events.last_seq(scene.shift.id) == 100
    assert [e.seq for e in logged] == list(range(1, 101))
    assert sorted(number_of(e) for e in logged) == list(range(100))


@pytest.mark.postgres
async def test_racing_units_of_several_events_on_two_shifts_number_each_without_gaps(
    postgres: MigratedDatabase,
) -> None:
    uow_factory: UnitOfWorkFactory = postgres.database.unit_of_work
    first, second = await a_shift_scene(uow_factory), await a_shift_scene(uow_factory)

    async def append(unit: int) -> None:
        # Half the units name the shifts in the other order: no deadlock either way.
        one, other = (first, second) if unit % 2 else (second, first)
        async with uow_factory() as uow:
            for step, scene in enumerate((one, other, one)):
                await uow.events.append(_event(scene.shift.id, unit * 10 + step))
            await uow.commit()

    await race(30, append)

    async with uow_factory() as uow:
        logs = [await uow.events.since(scene.shift.id, 0) for scene in (first, second)]
    assert [len(log) for log in logs] == [45, 45]
    for log in logs:
        assert [e.seq for e in log] == list(range(1, 46))
        # A unit's events on a shift are consecutive, in the order it appended them.
        steps: dict[int, list[tuple[int, int]]] = {}
        for event in log:
            n = number_of(event)
            steps.setdefault(n // 10, []).append((event.seq, n % 10))
        for seen in steps.values():
            seqs = [seq for seq, _ in seen]
            assert seqs == list(range(seqs[0], seqs[0] + len(seen)))
            assert [step for _, step in seen] in ([0, 2], [1])


@pytest.mark.postgres
async def test_a_committed_append_is_notified_after_commit_only(
    postgres: MigratedDatabase,
) -> None:
    uow_factory = postgres.database.unit_of_work
    scene = await a_shift_scene(uow_factory, items=0)
    heard: asyncio.Queue[str] = asyncio.Queue()
    dsn = make_url(postgres.url).set(drivername="postgresql")
    listener = await asyncpg.connect(dsn.render_as_string(hide_password=False))
    await listener.add_listener(
        pg_payload.CHANNEL, lambda _conn, _pid, _channel, payload: heard.put_nowait(payload)
    )
    big = a_numbered_event(scene.shift.id, 3, label="x" * pg_payload.MAX_PAYLOAD_BYTES)
    events = [_event(scene.shift.id, 2), big, _event(scene.shift.id, 4)]
    try:
        async with uow_factory() as uow:
            await uow.events.append(_event(scene.shift.id, 1))
            # Rolled back: never notified.
        async with uow_factory() as uow:
            for event in events:
                await uow.events.append(event)
            await asyncio.sleep(0.2)  # time enough for a premature notification to land
            assert heard.empty()
            await uow.commit()
        async with asyncio.timeout(5):
            payloads = [await heard.get() for _ in events]
        await asyncio.sleep(0.2)
        assert heard.empty()
        async with uow_factory() as uow:
            logged = await uow.events.since(scene.shift.id, 0)
    finally:
        await listener.close()

    assert [e.seq for e in logged] == [1, 2, 3]
    assert logged[1].data == big.data
    # In seq order; too big to travel whole, the second travels as a pointer.
    assert [pg_payload.decode(payload) for payload in payloads] == [
        pg_payload.WholeEvent(event=logged[0]),
        pg_payload.EventPointer(shift_id=scene.shift.id, seq=2),
        pg_payload.WholeEvent(event=logged[2]),
    ]
