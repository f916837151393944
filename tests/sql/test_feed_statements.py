"""The kitchen feed's reads on every SQL backend: the shift's head and the tickets, one
statement each; a client holding the current feed costs the head alone."""

from __future__ import annotations

import msgspec

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.principals import StaffPrincipal
from fusionx.core.model.staff import Role
from fusionx.core.model.tickets import OPEN_STATES
from fusionx.core.use_cases.queries.view_shift import FeedUnchanged, KdsFeedJson, ViewShift
from fusionx.ports.kitchen_feed import KdsTicketView
from tests.sql.test_session_activity import statements
from tests.support.databases import MigratedDatabase
from tests.support.entities import T0, a_staff_member, a_ticket, an_order, new_id
from tests.support.scenes import a_shift_scene


async def test_the_feed_is_two_reads_and_a_current_copy_one(
    racing_database: MigratedDatabase,
) -> None:
    database = racing_database.database
    scene = await a_shift_scene(database.unit_of_work)
    order = an_order(scene.shift.id, scene.items)
    async with database.unit_of_work() as uow:
        await uow.orders.add(order)
        await uow.tickets.add(a_ticket(order))
        await uow.commit()
    owner = StaffPrincipal(staff=a_staff_member(role=Role.OWNER), token_id=new_id())
    view = ViewShift(database.reader(), ManualClock(T0))

    with statements() as full:
        feed = await view.feed_unless_held(owner, scene.shift.id, OPEN_STATES, lambda _: False)
    assert isinstance(feed, KdsFeedJson)
    with statements() as held:
        same = await view.feed_unless_held(owner, scene.shift.id, OPEN_STATES, lambda _: True)

    assert full == ["SELECT", "SELECT"]
    assert held == ["SELECT"]
    assert same == FeedUnchanged(last_seq=feed.last_seq)
    tickets = msgspec.json.decode(feed.tickets, type=list[KdsTicketView], strict=True)
    assert [ticket.order_id for ticket in tickets] == [order.id]
