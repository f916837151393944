"""Tickets moved before 0008 take their prep and ready times from their history, so an
upgraded database's kitchen load is the one its transitions tell."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, select

from fusionx.adapters.sql.database import SqlDatabase
from fusionx.adapters.sql.engine import build_engine
from fusionx.adapters.sql.mapping import plain_uuid
from fusionx.adapters.sql.migrations.runner import upgrade
from fusionx.adapters.sql.tables import OrderLineRow, OrderRow, TicketRow
from fusionx.core.model.orders import Order
from fusionx.core.model.tickets import Ticket, TicketState, TicketTransition
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, a_ticket, an_actor, an_order
from tests.support.scenes import a_shift_scene_as_of

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


async def _added_as_0007_did(url: str, orders: list[Order], tickets: list[Ticket]) -> None:
    """The order and ticket rows 0007 had: today's repositories also write the columns
    later revisions added."""
    engine = build_engine(url, pooled=False)
    try:
        async with engine.begin() as connection:
            for order in orders:
                await connection.execute(
                    insert(OrderRow).values(
                        id=order.id,
                        shift_id=order.shift_id,
                        number=order.number,
                        channel=order.channel.value,
                        total_cents=order.total_cents,
                        created_at=order.created_at,
                        created_by_kind=order.created_by.kind.value,
                        created_by_id=order.created_by.id,
                    )
                )
                for position, line in enumerate(order.lines):
                    await connection.execute(
                        insert(OrderLineRow).values(
                            order_id=order.id,
                            position=position,
                            item_id=line.item_id,
                            name=line.name,
                            unit_price_cents=line.unit_price_cents,
                            quantity=line.quantity,
                        )
                    )
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
        scene = await a_shift_scene_as_of(empty_database_url, before.unit_of_work)
        orders = [an_order(scene.shift.id, [scene.items[0]], number=n) for n in (1, 2, 3)]
        tickets = [a_ticket(order) for order in orders]
        await _added_as_0007_did(empty_database_url, orders, tickets)
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
