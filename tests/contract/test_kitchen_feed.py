"""The kitchen feed's reads: the shift's head, every field of its tickets, and the feed
as sent unless the client holds it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import NamedTuple
from uuid import UUID

import msgspec

from fusionx.core.model.orders import ChosenModifier, Order, OrderLine
from fusionx.core.model.tickets import OPEN_STATES, HeldFeed, KdsTicket, Ticket, TicketState
from fusionx.ports.kitchen_feed import KdsLineView, KdsTicketView
from fusionx.ports.repositories.tickets import FeedHead, FeedJson
from fusionx.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from tests.support.entities import T0, a_ticket, an_order, new_id
from tests.support.events import a_numbered_event
from tests.support.scenes import a_shift_scene

_PARIS = timezone(timedelta(hours=2))


async def test_the_head_names_the_truck_and_follows_the_event_log(
    uow_factory: UnitOfWorkFactory, read_with: UnitOfWorkFactory
) -> None:
    scene = await a_shift_scene(uow_factory)
    async with uow_factory() as uow:
        before = await uow.tickets.feed_head(scene.shift.id)
        unknown = await uow.tickets.feed_head(new_id())
        for n in range(3):
            event = a_numbered_event(scene.shift.id, n)
            await uow.events.append(event)
        await uow.commit()

    async with read_with() as uow:
        after = await uow.tickets.feed_head(scene.shift.id)

    assert before == FeedHead(truck_id=scene.truck.id, last_seq=0)
    assert unknown is None
    assert after == FeedHead(truck_id=scene.truck.id, last_seq=3)


class _Day(NamedTuple):
    shift_id: UUID
    order: Order
    bare: Order
    line: OrderLine
    held: Ticket
    empty: Ticket
    created: datetime
    fire_at: datetime


async def _two_tickets(uow_factory: UnitOfWorkFactory) -> _Day:
    """A held ticket with every field set (a line with modifiers, times with microseconds
    and in another zone) and a bare one, a day later."""
    scene = await a_shift_scene(uow_factory)
    modifiers = (
        ChosenModifier(group_id=new_id(), option_id=new_id(), name="Large", price_delta_cents=150),
        ChosenModifier(group_id=new_id(), option_id=new_id(), name="Extra cheese"),
    )
    line = OrderLine(
        item_id=scene.items[0].id,
        name='Carnitas "grande" ☃',
        unit_price_cents=1050,
        quantity=2,
        notes="no onions, \\ please",
        modifiers=modifiers,
    )
    # Times with microseconds and in another zone: they come back as the same instants.
    created = (T0 + timedelta(microseconds=123456)).astimezone(_PARIS)
    order = an_order(
        scene.shift.id,
        [],
        customer_name="Sam",
        created_at=created,
        promised_ready_at=created + timedelta(minutes=12, microseconds=1),
    )
    order = msgspec.structs.replace(order, lines=(line,), total_cents=line.total_cents)
    bare = an_order(scene.shift.id, [], number=2, customer_name=None, created_at=T0 + timedelta(1))
    fire_at = T0 + timedelta(hours=1, microseconds=7)
    held = a_ticket(
        order,
        state=TicketState.HOLD,
        version=3,
        updated_at=T0 + timedelta(minutes=5),
        held_from=TicketState.IN_PREP,
        fire_at=fire_at.astimezone(_PARIS),
    )
    empty = a_ticket(bare)
    async with uow_factory() as uow:
        await uow.orders.add(order)
        await uow.orders.add(bare)
        await uow.tickets.add(held)
        await uow.tickets.add(empty)
        await uow.commit()
    return _Day(scene.shift.id, order, bare, line, held, empty, created, fire_at)


async def test_every_field_of_a_ticket_comes_back(
    uow_factory: UnitOfWorkFactory, read_with: UnitOfWorkFactory
) -> None:
    day = await _two_tickets(uow_factory)
    scene_shift, order, bare, line, held, empty, created, fire_at = day

    async with read_with() as uow:
        feed = await uow.tickets.feed(scene_shift, list(TicketState))

    assert feed == [
        KdsTicket(
            id=held.id,
            order_id=order.id,
            number=1,
            state=TicketState.HOLD,
            version=3,
            created_at=created,
            updated_at=T0 + timedelta(minutes=5),
            lines=(line,),
            customer_name="Sam",
            held_from=TicketState.IN_PREP,
            fire_at=fire_at,
            promised_ready_at=order.promised_ready_at,
        ),
        KdsTicket(
            id=empty.id,
            order_id=bare.id,
            number=2,
            state=TicketState.NEW,
            version=1,
            created_at=bare.created_at,
            updated_at=bare.created_at,
            lines=(),
        ),
    ]
    assert all(t.created_at.tzinfo is not None for t in feed)
    assert feed[0].fire_at is not None
    assert feed[0].fire_at.tzinfo is not None


async def test_the_feed_as_sent_is_the_documented_shape_of_the_typed_feed(
    uow_factory: UnitOfWorkFactory, read_with: UnitOfWorkFactory
) -> None:
    # The bytes go to the client as the store wrote them (PostgreSQL builds them in its
    # statement): they must be exactly KdsTicketView, field for field and in its order.
    day = await _two_tickets(uow_factory)
    # 7 min 30.88 s after the held ticket's order; the bare one is a day in the future.
    now = day.created + timedelta(minutes=7, seconds=30, microseconds=876543)
    async with read_with() as uow:
        typed = await uow.tickets.feed(day.shift_id, list(TicketState))
        sent = await _sent(uow, day.shift_id, list(TicketState), now)
        none_ready = await _sent(uow, day.shift_id, [TicketState.READY], now)
        nothing = await _sent(uow, day.shift_id, [], now)

    decoded = msgspec.json.decode(sent, type=list[KdsTicketView], strict=True)
    assert decoded == [KdsTicketView.of(ticket, now) for ticket in typed]
    assert [ticket.age_seconds for ticket in decoded] == [450, 0]
    assert decoded[0].lines[0].modifiers == ["Large", "Extra cheese"]
    raw = msgspec.json.decode(sent)
    assert [list(ticket) for ticket in raw] == [list(KdsTicketView.__struct_fields__)] * 2
    assert list(raw[0]["lines"][0]) == list(KdsLineView.__struct_fields__)
    assert raw[1]["lines"] == []
    assert msgspec.json.decode(none_ready) == msgspec.json.decode(nothing) == []


async def _sent(uow: UnitOfWork, shift_id: UUID, states: list[TicketState], now: datetime) -> bytes:
    read = await uow.tickets.feed_json_unless_held(shift_id, states, now, HeldFeed())
    assert read is not None
    assert read.tickets is not None
    return read.tickets


async def test_the_feed_is_sent_unless_the_client_holds_it_as_of_the_last_seq(
    uow_factory: UnitOfWorkFactory, read_with: UnitOfWorkFactory
) -> None:
    scene = await a_shift_scene(uow_factory)
    order = an_order(scene.shift.id, scene.items)
    async with uow_factory() as uow:
        await uow.orders.add(order)
        await uow.tickets.add(a_ticket(order))
        for n in range(2):
            await uow.events.append(a_numbered_event(scene.shift.id, n))
        await uow.commit()

    async def read(held: HeldFeed, shift_id: UUID = scene.shift.id) -> FeedJson | None:
        async with read_with() as uow:
            return await uow.tickets.feed_json_unless_held(shift_id, OPEN_STATES, T0, held)

    # Numbers the client's tags name for this state filter (etags.py reads them): the
    # head alone when one is the shift's last_seq, or when any is (``*``).
    by_seq = await read(HeldFeed(seqs=frozenset({1, 2, 9})))
    by_star = await read(HeldFeed(any=True))
    # None held, or only older states: the head and the tickets. A tag of another state
    # filter names no number here at all (``held_feed``): the same as none held.
    not_held = await read(HeldFeed())
    older = await read(HeldFeed(seqs=frozenset({0, 1, 3, 2**40, -(2**40)})))
    unknown = await read(HeldFeed(any=True), new_id())

    head = {"truck_id": scene.truck.id, "last_seq": 2}
    assert by_seq == by_star == FeedJson(**head, tickets=None)
    assert not_held == older
    assert not_held is not None
    assert not_held.truck_id == scene.truck.id
    assert not_held.last_seq == 2
    assert not_held.tickets is not None
    sent = msgspec.json.decode(not_held.tickets, type=list[KdsTicketView], strict=True)
    assert [ticket.order_id for ticket in sent] == [order.id]
    assert unknown is None
    assert await read(HeldFeed(), new_id()) is None
