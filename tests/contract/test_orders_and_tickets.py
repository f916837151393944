from __future__ import annotations

from datetime import timedelta

import msgspec

from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.events import NewEvent, OrderCreated
from fusionx.core.model.orders import ChosenModifier, Order
from fusionx.core.model.tickets import OPEN_STATES, KdsTicket, Ticket, TicketState, TicketTransition
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.support.entities import T0, a_move, an_actor, an_order, new_id
from tests.support.scenes import ShiftScene, a_shift_scene, with_tickets


async def _orders_with_tickets(
    uow_factory: UnitOfWorkFactory, scene: ShiftScene, count: int
) -> list[tuple[Order, Ticket]]:
    """``count`` orders a minute apart, each with a NEW ticket; the first has no name."""
    orders = (
        an_order(
            scene.shift.id,
            list(scene.items[: 1 + n % len(scene.items)]),
            number=n,
            created_at=T0 + timedelta(minutes=n),
            customer_name=None if n == 1 else f"Guest {n}",
        )
        for n in range(1, count + 1)
    )
    return await with_tickets(uow_factory, orders)


def _on_display(order: Order, ticket: Ticket) -> KdsTicket:
    return KdsTicket(
        id=ticket.id,
        order_id=order.id,
        number=ticket.number,
        state=ticket.state,
        version=ticket.version,
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
        lines=order.lines,
        customer_name=order.customer_name,
    )


async def test_an_order_round_trips_with_its_lines_in_order(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    order = an_order(scene.shift.id, [scene.items[2], scene.items[0], scene.items[1]])
    bare = an_order(scene.shift.id, [scene.items[0]], number=2, customer_name=None)
    async with uow_factory() as uow:
        await uow.orders.add(order)
        await uow.orders.add(bare)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.orders.get(order.id) == order
        assert await uow.orders.get(bare.id) == bare
        assert await uow.orders.get(new_id()) is None
    assert [line.item_id for line in order.lines] == [
        scene.items[2].id,
        scene.items[0].id,
        scene.items[1].id,
    ]


async def test_an_order_round_trips_with_its_options_and_times(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    plain = an_order(scene.shift.id, list(scene.items[:2]))
    chosen = (
        ChosenModifier(
            group_id=new_id(), option_id=new_id(), name="Oat milk", price_delta_cents=50
        ),
        ChosenModifier(group_id=new_id(), option_id=new_id(), name='Extra "hot"'),
    )
    lines = (msgspec.structs.replace(plain.lines[0], modifiers=chosen), plain.lines[1])
    order = msgspec.structs.replace(
        plain,
        lines=lines,
        pickup_at=T0 + timedelta(minutes=30),
        promised_ready_at=T0 + timedelta(minutes=25),
    )
    async with uow_factory() as uow:
        await uow.orders.add(order)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.orders.get(order.id) == order


async def test_an_order_and_its_first_ticket_are_added_together(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    order = msgspec.structs.replace(
        an_order(scene.shift.id, list(scene.items[:2])),
        pickup_at=T0 + timedelta(minutes=30),
        promised_ready_at=T0 + timedelta(minutes=25),
    )
    ticket = msgspec.structs.replace(
        Ticket.first_for(order, new_id(), T0), fire_at=T0 + timedelta(minutes=20)
    )
    async with uow_factory() as uow:
        await uow.orders.add_with_ticket(order, ticket)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.orders.get(order.id) == order
        assert await uow.tickets.get(ticket.id) == ticket


async def test_an_order_added_with_its_event_commits_with_it_or_not_at_all(
    uow_factory: UnitOfWorkFactory,
) -> None:
    # PostgreSQL's log writes the order with the shift's events: both land, or neither.
    scene = await a_shift_scene(uow_factory)
    kept, dropped = (an_order(scene.shift.id, list(scene.items[:2])) for _ in range(2))
    tickets = {o.id: Ticket.first_for(o, new_id(), T0) for o in (kept, dropped)}
    for order, commit in ((dropped, False), (kept, True)):
        async with uow_factory() as uow:
            await uow.orders.add_with_ticket(order, tickets[order.id])
            created = OrderCreated(order=order.without_contact(), ticket=tickets[order.id])
            await uow.events.append(NewEvent(shift_id=scene.shift.id, at=T0, data=created))
            if commit:
                await uow.commit()

    async with uow_factory() as uow:
        assert await uow.orders.get(kept.id) == kept
        assert await uow.tickets.get(tickets[kept.id].id) == tickets[kept.id]
        assert await uow.orders.get(dropped.id) is None
        assert await uow.tickets.get(tickets[dropped.id].id) is None
        logged = await uow.events.since(scene.shift.id, 0)
    assert [event.data for event in logged] == [
        OrderCreated(order=kept.without_contact(), ticket=tickets[kept.id])
    ]


async def test_a_ticket_round_trips(uow_factory: UnitOfWorkFactory) -> None:
    scene = await a_shift_scene(uow_factory)
    [(_, ticket)] = await _orders_with_tickets(uow_factory, scene, 1)

    async with uow_factory() as uow:
        assert await uow.tickets.get(ticket.id) == ticket
        assert await uow.tickets.get(new_id()) is None


async def test_save_move_is_a_compare_and_set_on_the_version(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    [(_, ticket)] = await _orders_with_tickets(uow_factory, scene, 1)
    later = T0 + timedelta(minutes=20)
    move = a_move(ticket, TicketState.IN_PREP, later, prep_at=later)

    async with uow_factory() as uow:
        moved = await uow.tickets.save_move(move)
        stale = await uow.tickets.save_move(a_move(ticket, TicketState.CANCELLED, later))
        missing = await uow.tickets.save_move(
            a_move(msgspec.structs.replace(ticket, id=new_id()), TicketState.IN_PREP, later)
        )
        await uow.commit()

    expected = msgspec.structs.replace(
        ticket, state=TicketState.IN_PREP, version=2, updated_at=later, prep_at=later
    )
    assert move.after == expected
    assert moved is True
    assert stale is False
    assert missing is False
    async with uow_factory() as uow:
        assert await uow.tickets.get(ticket.id) == expected


async def test_get_with_truck_reads_the_ticket_and_its_shifts_truck(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    [(_, ticket)] = await _orders_with_tickets(uow_factory, scene, 1)

    async with uow_factory() as uow:
        assert await uow.tickets.get_with_truck(ticket.id) == (ticket, scene.truck.id)
        assert await uow.tickets.get_with_truck(new_id()) is None


async def test_save_move_keeps_the_stamped_times_it_is_given(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    [(_, ticket)] = await _orders_with_tickets(uow_factory, scene, 1)
    prep, ready = T0 + timedelta(minutes=2), T0 + timedelta(minutes=9)
    # Whatever the move says: the store recomputes nothing from the states.
    move = a_move(ticket, TicketState.COMPLETED, ready, prep_at=prep, ready_at=ready)

    async with uow_factory() as uow:
        assert await uow.tickets.save_move(move)
        await uow.commit()

    async with uow_factory() as uow:
        kept = await uow.tickets.get(ticket.id)
        assert await uow.tickets.get_with_truck(ticket.id) == (kept, scene.truck.id)
    assert kept == move.after
    assert (kept.prep_at, kept.ready_at) == (prep, ready)


async def test_save_move_moves_and_keeps_history_only_when_it_moves(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    [(_, ticket)] = await _orders_with_tickets(uow_factory, scene, 1)
    later, fire_at = T0 + timedelta(minutes=20), T0 + timedelta(minutes=30)
    holding = a_move(
        ticket,
        TicketState.HOLD,
        later,
        actor=an_actor(PrincipalKind.DEVICE),
        reason="Waiting for the drinks",
        held_from=TicketState.NEW,
        fire_at=fire_at,
    )
    hold = holding.transition
    # From version 1 again: another writer's move, too late.
    late = a_move(ticket, TicketState.CANCELLED, later)

    async with uow_factory() as uow:
        moved = await uow.tickets.save_move(holding)
        stale = await uow.tickets.save_move(late)
        missing = await uow.tickets.save_move(
            a_move(msgspec.structs.replace(ticket, id=new_id()), TicketState.HOLD, later)
        )
        await uow.commit()

    expected = msgspec.structs.replace(
        ticket,
        state=TicketState.HOLD,
        version=2,
        updated_at=later,
        held_from=TicketState.NEW,
        fire_at=fire_at,
    )
    assert holding.after == expected
    assert moved is True
    assert stale is False
    assert missing is False
    async with uow_factory() as uow:
        assert await uow.tickets.get(ticket.id) == expected
        assert await uow.tickets.history(ticket.id) == [hold]


async def test_a_rolled_back_move_leaves_the_ticket_as_it_was(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    [(_, ticket)] = await _orders_with_tickets(uow_factory, scene, 1)

    async with uow_factory() as uow:
        assert await uow.tickets.save_move(a_move(ticket, TicketState.IN_PREP, T0))

    async with uow_factory() as uow:
        assert await uow.tickets.get(ticket.id) == ticket


async def test_history_keeps_ticket_transitions_oldest_first(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene = await a_shift_scene(uow_factory)
    [(_, ticket), (_, other)] = await _orders_with_tickets(uow_factory, scene, 2)
    cook = an_actor(PrincipalKind.DEVICE)
    moves = [
        TicketTransition(
            ticket_id=ticket.id, source=None, target=TicketState.NEW, version=1, at=T0, actor=cook
        ),
        TicketTransition(
            ticket_id=ticket.id,
            source=TicketState.NEW,
            target=TicketState.CANCELLED,
            version=2,
            at=T0 + timedelta(minutes=3),
            actor=an_actor(),
            reason="Customer left",
        ),
    ]
    async with uow_factory() as uow:
        for move in moves:
            await uow.tickets.add_transition(move)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.tickets.history(ticket.id) == moves
        assert await uow.tickets.history(other.id) == []


async def test_open_for_shift_lists_unfinished_tickets_oldest_first(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene, elsewhere = await a_shift_scene(uow_factory), await a_shift_scene(uow_factory)
    placed = await _orders_with_tickets(uow_factory, scene, 5)
    await _orders_with_tickets(uow_factory, elsewhere, 1)
    finals = {0: TicketState.COMPLETED, 3: TicketState.CANCELLED}
    async with uow_factory() as uow:
        for index, state in finals.items():
            ticket = placed[index][1]
            assert await uow.tickets.save_move(a_move(ticket, state, T0))
        await uow.commit()

    async with uow_factory() as uow:
        open_tickets = await uow.tickets.open_for_shift(scene.shift.id)

    assert [t.id for t in open_tickets] == [placed[i][1].id for i in (1, 2, 4)]
    assert all(t.state in OPEN_STATES for t in open_tickets)


async def test_the_feed_shows_tickets_in_the_states_asked_with_their_lines(
    uow_factory: UnitOfWorkFactory,
) -> None:
    scene, elsewhere = await a_shift_scene(uow_factory), await a_shift_scene(uow_factory)
    placed = await _orders_with_tickets(uow_factory, scene, 4)
    await _orders_with_tickets(uow_factory, elsewhere, 2)
    at = T0 + timedelta(hours=1)
    async with uow_factory() as uow:
        readying = a_move(placed[1][1], TicketState.READY, at, ready_at=at)
        finishing = a_move(placed[2][1], TicketState.COMPLETED, at)
        assert await uow.tickets.save_move(readying)
        assert await uow.tickets.save_move(finishing)
        await uow.commit()
    ready, done = readying.after, finishing.after

    async with uow_factory() as uow:
        kitchen = await uow.tickets.feed(scene.shift.id, {TicketState.NEW, TicketState.READY})
        finished = await uow.tickets.feed(scene.shift.id, [TicketState.COMPLETED])
        nothing = await uow.tickets.feed(scene.shift.id, [])

    assert kitchen == [
        _on_display(*placed[0]),
        _on_display(placed[1][0], ready),
        _on_display(*placed[3]),
    ]
    assert finished == [_on_display(placed[2][0], done)]
    assert nothing == []
    assert [len(t.lines) for t in kitchen] == [2, 3, 2]
