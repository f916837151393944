from __future__ import annotations

import asyncio
from datetime import timedelta

import msgspec
import pytest

from fusionx.core.errors import Conflict, NotFound
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.staff import Role
from fusionx.core.model.tickets import OPEN_STATES, HeldFeed, Ticket, TicketState
from fusionx.core.use_cases.commands.place_order import (
    OrderLineRequest,
    PlaceOrder,
    PlaceOrderRequest,
)
from fusionx.core.use_cases.commands.transition_ticket import TransitionRequest, TransitionTicket
from fusionx.core.use_cases.queries.view_shift import FeedUnchanged, KdsFeedJson, ViewShift
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import ShiftWorld, as_principal, make_staff, make_truck, open_shift_world
from tests.support.entities import new_id


async def new_ticket(adapters: Adapters, world: ShiftWorld) -> tuple[ShiftWorld, Ticket]:
    placed = await PlaceOrder(adapters.uow(), adapters.clock, adapters.ids).execute(
        world.principal,
        PlaceOrderRequest(
            shift_id=world.shift.id,
            lines=(OrderLineRequest(item_id=world.items[0].id, quantity=1),),
        ),
    )
    return world, placed.ticket


def move(adapters: Adapters) -> TransitionTicket:
    return TransitionTicket(adapters.uow(), adapters.clock, adapters.ids)


async def test_a_ticket_goes_from_new_to_completed_one_version_at_a_time(
    adapters: Adapters,
) -> None:
    world, ticket = await new_ticket(adapters, await open_shift_world(adapters))
    version = 1
    for target in (TicketState.IN_PREP, TicketState.READY, TicketState.COMPLETED):
        moved = await move(adapters).execute(
            world.principal,
            TransitionRequest(ticket_id=ticket.id, target=target, expected_version=version),
        )
        assert (moved.state, moved.version) == (target, version + 1)
        version = moved.version

    async with adapters.uow() as uow:
        history = await uow.tickets.history(ticket.id)
    assert [(t.source, t.target, t.version) for t in history] == [
        (TicketState.NEW, TicketState.IN_PREP, 2),
        (TicketState.IN_PREP, TicketState.READY, 3),
        (TicketState.READY, TicketState.COMPLETED, 4),
    ]
    assert all(t.actor.id == world.manager.id for t in history)


async def test_a_stale_version_is_refused_with_the_current_state(adapters: Adapters) -> None:
    world, ticket = await new_ticket(adapters, await open_shift_world(adapters))
    request = TransitionRequest(ticket_id=ticket.id, target=TicketState.IN_PREP, expected_version=1)
    await move(adapters).execute(world.principal, request)

    with pytest.raises(Conflict) as error:
        await move(adapters).execute(world.principal, request)
    assert error.value.context == {"state": "in_prep", "version": 2}


async def test_an_illegal_move_is_refused(adapters: Adapters) -> None:
    world, ticket = await new_ticket(adapters, await open_shift_world(adapters))
    with pytest.raises(Conflict) as error:
        await move(adapters).execute(
            world.principal,
            TransitionRequest(ticket_id=ticket.id, target=TicketState.READY, expected_version=1),
        )
    assert error.value.context == {"state": "new", "version": 1}


async def test_two_devices_bumping_one_ticket_at_once_exactly_one_wins(adapters: Adapters) -> None:
    world, ticket = await new_ticket(adapters, await open_shift_world(adapters))
    request = TransitionRequest(ticket_id=ticket.id, target=TicketState.IN_PREP, expected_version=1)

    results = await asyncio.gather(
        *(move(adapters).execute(world.principal, request) for _ in range(5)),
        return_exceptions=True,
    )

    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 4


async def test_another_trucks_staff_cannot_see_or_move_its_tickets(adapters: Adapters) -> None:
    world, ticket = await new_ticket(adapters, await open_shift_world(adapters))
    outsider = await make_staff(adapters, role=Role.OWNER)
    stranger = await make_staff(
        adapters, role=Role.MANAGER, trucks=[await make_truck(adapters, "Other")]
    )

    # Owners act fleet-wide; a manager of another truck is told nothing exists.
    assert await ViewShift(adapters.uow(), adapters.clock).feed(
        as_principal(outsider), world.shift.id
    )
    with pytest.raises(NotFound):
        await move(adapters).execute(
            as_principal(stranger),
            TransitionRequest(ticket_id=ticket.id, target=TicketState.IN_PREP, expected_version=1),
        )
    with pytest.raises(NotFound):
        await ViewShift(adapters.uow(), adapters.clock).feed(as_principal(stranger), world.shift.id)


async def test_the_feed_shows_open_tickets_oldest_first_with_lines(adapters: Adapters) -> None:
    world = await open_shift_world(adapters)
    _, first = await new_ticket(adapters, world)
    _, second = await new_ticket(adapters, world)
    await move(adapters).execute(
        world.principal,
        TransitionRequest(
            ticket_id=second.id,
            target=TicketState.CANCELLED,
            expected_version=1,
            cancel_reason=CancelReason.DUPLICATE,
        ),
    )

    feed = await ViewShift(adapters.reader(), adapters.clock).feed(
        world.principal, world.shift.id, OPEN_STATES
    )

    assert [t.id for t in feed.tickets] == [first.id]
    assert feed.tickets[0].lines[0].name == "Item 1"
    async with adapters.uow() as uow:
        assert feed.last_seq == await uow.events.last_seq(world.shift.id)


async def test_a_feed_the_client_holds_is_not_read_again(adapters: Adapters) -> None:
    world, _ = await new_ticket(adapters, await open_shift_world(adapters))
    view = ViewShift(adapters.reader(), adapters.clock)
    feed = await view.feed(world.principal, world.shift.id)
    held = HeldFeed(seqs=frozenset({feed.last_seq}))

    unchanged = await view.feed_unless_held(world.principal, world.shift.id, OPEN_STATES, held)
    await new_ticket(adapters, world)
    changed = await view.feed_unless_held(world.principal, world.shift.id, OPEN_STATES, held)

    assert unchanged == FeedUnchanged(last_seq=feed.last_seq)
    assert isinstance(changed, KdsFeedJson)
    assert changed.last_seq > feed.last_seq
    assert len(msgspec.json.decode(changed.tickets)) == 2


@pytest.mark.parametrize("held", [HeldFeed(any=True), HeldFeed()], ids=["held", "not held"])
async def test_a_feed_of_another_truck_or_none_is_not_found(
    adapters: Adapters, held: HeldFeed
) -> None:
    world, _ = await new_ticket(adapters, await open_shift_world(adapters))
    stranger = await make_staff(
        adapters, role=Role.MANAGER, trucks=[await make_truck(adapters, "Other")]
    )
    view = ViewShift(adapters.reader(), adapters.clock)

    with pytest.raises(NotFound):
        await view.feed_unless_held(as_principal(stranger), world.shift.id, OPEN_STATES, held)
    with pytest.raises(NotFound):
        await view.feed_unless_held(world.principal, new_id(), OPEN_STATES, held)


async def test_the_recall_window_is_configurable(adapters: Adapters) -> None:
    world, ticket = await new_ticket(adapters, await open_shift_world(adapters))
    version = 1
    for target in (TicketState.IN_PREP, TicketState.READY, TicketState.COMPLETED):
        request = TransitionRequest(ticket_id=ticket.id, target=target, expected_version=version)
        version = (await move(adapters).execute(world.principal, request)).version
    recall = TransitionRequest(
        ticket_id=ticket.id, target=TicketState.READY, expected_version=version
    )
    short = TransitionTicket(
        adapters.uow(), adapters.clock, adapters.ids, recall_window=timedelta(minutes=2)
    )

    adapters.clock.advance(timedelta(minutes=2, seconds=1))  # type: ignore[attr-defined]
    with pytest.raises(Conflict):
        await short.execute(world.principal, recall)
    adapters.clock.advance(timedelta(seconds=-1))  # type: ignore[attr-defined]
    recalled = await short.execute(world.principal, recall)

    assert recalled.state is TicketState.READY
