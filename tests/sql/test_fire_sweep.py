"""Timed fires on real databases: the fire time lives in the store, a sweep started with
the app fires what is due, and of several workers sweeping at once each ticket fires once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.events import EventType
from fusionx.core.model.tickets import Ticket, TicketState
from fusionx.core.use_cases.commands.fire_due_tickets import FireDueTickets
from fusionx.core.use_cases.steps.ticket_moves import move_ticket
from fusionx.entrypoints.settings import Settings
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.databases import MigratedDatabase, migrated
from tests.support.entities import T0, a_ticket, an_actor, an_order
from tests.support.events import stored
from tests.support.scenes import a_shift_scene
from tests.support.wiring import first_event_once_started, sql_wiring


async def _held_tickets(
    uow_factory: UnitOfWorkFactory, count: int, fire_at: datetime
) -> list[Ticket]:
    scene = await a_shift_scene(uow_factory, items=1)
    held = []
    async with uow_factory() as uow:
        for n in range(1, count + 1):
            order = an_order(scene.shift.id, list(scene.items), number=n)
            ticket = a_ticket(order)
            await uow.orders.add(order)
            await uow.tickets.add(ticket)
            held.append(
                await move_ticket(
                    uow, ticket, TicketState.HOLD, actor=an_actor(), at=T0, fire_at=fire_at
                )
            )
        await uow.commit()
    return held


async def test_racing_sweeps_fire_each_due_ticket_exactly_once(
    racing_database: MigratedDatabase,
) -> None:
    uow_factory = racing_database.database.unit_of_work
    held = await _held_tickets(uow_factory, 8, T0 + timedelta(minutes=5))
    clock = ManualClock(T0 + timedelta(minutes=5))

    async with asyncio.timeout(60):
        sweeps = await asyncio.gather(
            *(FireDueTickets(uow_factory, clock).execute() for _ in range(4))
        )

    fired = [ticket.id for sweep in sweeps for ticket in sweep]
    assert sorted(fired) == sorted(ticket.id for ticket in held)
    async with uow_factory() as uow:
        for ticket in held:
            now = await uow.tickets.get(ticket.id)
            assert now is not None
            assert (now.state, now.version, now.fire_at) == (TicketState.NEW, 3, None)
            history = await uow.tickets.history(ticket.id)
            assert [(t.source, t.target) for t in history] == [
                (TicketState.NEW, TicketState.HOLD),
                (TicketState.HOLD, TicketState.NEW),
            ]
        events = await uow.events.since(held[0].shift_id, 0)
    fires = [
        e for e in events if e.type is EventType.TICKET_CHANGED and stored(e)["from"] == "hold"
    ]
    assert len(fires) == len(held)


async def test_a_ticket_moved_by_hand_before_its_time_is_left_alone(
    racing_database: MigratedDatabase,
) -> None:
    uow_factory = racing_database.database.unit_of_work
    (ticket,) = await _held_tickets(uow_factory, 1, T0 + timedelta(minutes=5))
    async with uow_factory() as uow:
        await move_ticket(uow, ticket, TicketState.NEW, actor=an_actor(), at=T0)
        await uow.commit()

    fired = await FireDueTickets(uow_factory, ManualClock(T0 + timedelta(hours=1))).execute()

    assert fired == []


async def test_a_fire_time_survives_a_restart_and_the_started_app_fires_it(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}"
    async with migrated(url) as before_restart:
        # Held by a process that then went away, due while nothing was running.
        (ticket,) = await _held_tickets(
            before_restart.database.unit_of_work, 1, datetime.now(UTC) - timedelta(seconds=1)
        )

    async with sql_wiring(Settings(database_url=url)) as adapters:
        event = await first_event_once_started(adapters, ticket.shift_id)

    assert event is not None
    assert (event.type, stored(event)["from"], stored(event)["to"]) == (
        EventType.TICKET_CHANGED,
        "hold",
        "new",
    )
    async with migrated(url) as after:
        assert await _state(after.database.unit_of_work, ticket) is TicketState.NEW


async def _state(uow_factory: UnitOfWorkFactory, ticket: Ticket) -> TicketState | None:
    async with uow_factory() as uow:
        found = await uow.tickets.get(ticket.id)
    return None if found is None else found.state


async def test_nothing_fires_before_its_time(tmp_path: Path) -> None:
    async with migrated(f"sqlite+aiosqlite:///{tmp_path / 'fusionx.db'}") as database:
        uow_factory = database.database.unit_of_work
        (ticket,) = await _held_tickets(uow_factory, 1, T0 + timedelta(minutes=5))
        early = FireDueTickets(uow_factory, ManualClock(T0 + timedelta(minutes=4, seconds=59)))

        assert await early.execute() == []
        assert await _state(uow_factory, ticket) is TicketState.HOLD
