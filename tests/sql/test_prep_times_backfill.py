"""Tickets moved before 0008 take their prep and ready times from their history, so an
upgraded database's kitchen load is the one its transitions tell."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, select

from fusionx.adapters.sql.database import SqlDatabase
from fusionx.adapters.sql.engine import build_engine
from fusionx.adapters.sql.mapping import plain_uuid
from fusionx.adapters.sql.migrations.runner import upgrade
from fusionx.adapters.sql.tables import TicketRow
from fusionx.core.model.tickets import Ticket, TicketState, TicketTransition
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, a_ticket, an_actor, an_order
from tests.support.scenes import a_shift_scene

_BEFORE = "0007_menu_catalogue"


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


async def _worked(
    uow_factory: UnitOfWorkFactory, ticket: Ticket, *moves: tuple[TicketState, float]
) -> None:
    """``ticket``'s history as 0007's code wrote it: transitions only, nothing on the row."""
    async with uow_factory() as uow:
        source = ticket.state
        for version, (target, minute) in enumerate(moves, start=ticket.version + 1):
            await uow.tickets.add_transition(
                TicketTransition(
                    ticket_id=ticket.id,
                    source=source,
                    target=target,
                    version=version,
                    at=minutes(minute),
                    actor=an_actor(),
                )
            )
            source = target
        await uow.commit()


async def _added_as_0007_did(url: str, tickets: list[Ticket]) -> None:
    """The ticket rows 0007 had: today's repository also writes the times 0008 added."""
    engine = build_engine(url, pooled=False)
    try:
        async with engine.begin() as connection:
            for ticket in tickets:
                await connection.execute(
                    insert(TicketRow).values(
                        id=ticket.id,
                        order_id=ticket.order_id,
                        shift_id=ticket.shift_id,
                        number=ticket.number,
                        state=ticket.state.value,
                        version=ticket.version,
                        created_at=ticket.created_at,
                        updated_at=ticket.updated_at,
                    )
                )
    finally:
        await engine.dispose()


async def test_an_upgrade_fills_the_times_from_the_history(empty_database_url: str) -> None:
    await upgrade(empty_database_url, _BEFORE)
    before = SqlDatabase(empty_database_url)
    try:
        scene = await a_shift_scene(before.unit_of_work)
        tickets = []
        async with before.unit_of_work() as uow:
            for number in (1, 2, 3):
                order = an_order(scene.shift.id, [scene.items[0]], number=number)
                tickets.append(a_ticket(order))
                await uow.orders.add(order)
            await uow.commit()
        await _added_as_0007_did(empty_database_url, tickets)
        recalled, preparing, untouched = tickets
        await _worked(
            before.unit_of_work,
            recalled,
            (TicketState.IN_PREP, 2),
            (TicketState.HOLD, 3),
            (TicketState.IN_PREP, 4),
            (TicketState.READY, 6),
            (TicketState.COMPLETED, 7),
            (TicketState.READY, 9),
        )
        await _worked(before.unit_of_work, preparing, (TicketState.IN_PREP, 5))
    finally:
        await before.dispose()

    await upgrade(empty_database_url)

    engine = build_engine(empty_database_url, pooled=False)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(TicketRow.id, TicketRow.prep_at, TicketRow.ready_at)
            )
            times = {plain_uuid(ticket): (prep, ready) for ticket, prep, ready in rows}
    finally:
        await engine.dispose()
    after = SqlDatabase(empty_database_url)
    try:
        async with after.unit_of_work() as uow:
            kitchen = await uow.capacity.kitchen_load(scene.shift.id)
    finally:
        await after.dispose()

    assert times == {
        recalled.id: (minutes(2), minutes(9)),
        preparing.id: (minutes(5), None),
        untouched.id: (None, None),
    }
    assert kitchen.recent_prep_seconds == (420.0,)
