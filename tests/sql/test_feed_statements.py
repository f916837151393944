"""The kitchen feed's reads on every SQL backend: on PostgreSQL one statement, the
shift's head and its tickets together, whose tickets are not read at all when the client
holds the feed; on SQLite the head, then the tickets unless held."""

from __future__ import annotations

import msgspec
import pytest

from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.sql.repositories.tickets import pg_feed_unless_held
from fusionx.core.model.principals import StaffPrincipal
from fusionx.core.model.staff import Role
from fusionx.core.model.tickets import OPEN_STATES, HeldFeed
from fusionx.core.use_cases.queries.view_shift import FeedUnchanged, KdsFeedJson, ViewShift
from fusionx.ports.kitchen_feed import KdsTicketView
from tests.sql.test_session_activity import statements
from tests.support.databases import MigratedDatabase
from tests.support.entities import T0, a_staff_member, a_ticket, an_order, new_id
from tests.support.scenes import a_shift_scene


async def test_the_feed_is_one_statement_on_postgresql_and_a_current_copy_too(
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
        feed = await view.feed_unless_held(owner, scene.shift.id, OPEN_STATES, HeldFeed())
    assert isinstance(feed, KdsFeedJson)
    current = HeldFeed(seqs=frozenset({feed.last_seq}))
    with statements() as held:
        same = await view.feed_unless_held(owner, scene.shift.id, OPEN_STATES, current)

    if racing_database.engine.dialect.name == "postgresql":
        assert full == held == ["SELECT"]
    else:  # the head, then the tickets unless held
        assert full == ["SELECT", "SELECT"]
        assert held == ["SELECT"]
    assert same == FeedUnchanged(last_seq=feed.last_seq)
    tickets = msgspec.json.decode(feed.tickets, type=list[KdsTicketView], strict=True)
    assert [ticket.order_id for ticket in tickets] == [order.id]


@pytest.mark.parametrize("plans", ["force_custom_plan", "force_generic_plan"])
@pytest.mark.parametrize(
    ("held", "built"),
    # Nothing logged yet: the shift's last_seq is 0.
    [(HeldFeed(any=True), False), (HeldFeed(seqs=frozenset({0, 7})), False), (HeldFeed(), True)],
    ids=["held by any", "held by seq", "not held"],
)
async def test_postgresql_builds_the_tickets_only_when_the_client_lacks_them(
    postgres: MigratedDatabase, plans: str, held: HeldFeed, built: bool
) -> None:
    scene = await a_shift_scene(postgres.database.unit_of_work)
    order = an_order(scene.shift.id, scene.items)
    async with postgres.database.unit_of_work() as uow:
        await uow.orders.add(order)
        await uow.tickets.add(a_ticket(order))
        await uow.commit()
    seqs = ",".join(str(seq) for seq in held.seqs)
    arguments = f"'{scene.shift.id}', now(), {held.any}, '{{{seqs}}}'"

    # As the pool runs it: a prepared statement, planned for its arguments (the first
    # runs) or once for any (later, if PostgreSQL finds that no dearer).
    async with postgres.engine.connect() as connection:
        await connection.exec_driver_sql(f"SET LOCAL plan_cache_mode = {plans}")
        await connection.exec_driver_sql(
            "PREPARE feed (uuid, timestamptz, boolean, integer[]) AS "
            + pg_feed_unless_held(OPEN_STATES)
        )
        try:
            plan = await connection.exec_driver_sql(
                f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE feed({arguments})"
            )
            lines = [row[0] for row in plan]
        finally:
            await connection.exec_driver_sql("DEALLOCATE feed")

    # The tickets' subquery depends on parameters alone: an InitPlan, run only if the
    # CASE asks for its value (or, planned for a held feed's arguments, left out).
    scans = [line for line in lines if " on tickets " in line]
    assert any("actual rows=1 " in line for line in scans) is built, "\n".join(lines)
