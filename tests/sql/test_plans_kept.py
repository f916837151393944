"""The hot statements are planned once per connection on PostgreSQL, not at every call.

Each is prepared once per connection; under ``plan_cache_mode = auto`` PostgreSQL then
keeps one generic plan only if it looks no dearer than the plans made for the values at
hand. On a shift with a day's tickets behind it, the order's intake and the kitchen feed
(the full one and the held one behind every 304) looked dearer generic while their
ticket states were a parameter, and were planned again at every call: a third of
PostgreSQL's time on an order (docs/benchmarks.md, fifth pass). Here a shift is given
such a past and analysed, the hot requests are made a dozen times each on one
connection, and PostgreSQL's own count of the plans it made says whether any statement
was planned past its first few calls.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime

import pytest

from fusionx.adapters.i18n.babel_translator import packaged_translator
from fusionx.adapters.ids.uuid7_generator import Uuid7Generator
from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.sql.database import SqlDatabase
from fusionx.core.model.tickets import OPEN_STATES, HeldFeed
from fusionx.core.use_cases.commands.place_order import (
    OrderLineRequest,
    PlaceOrder,
    PlaceOrderRequest,
)
from fusionx.entrypoints.bootstrap import reactions
from tests.sql.test_order_statements import OWNER
from tests.support.databases import MigratedDatabase
from tests.support.entities import T0
from tests.support.scenes import ShiftScene, a_shift_scene, restock_to

pytestmark = pytest.mark.postgres

_CALLS = 12
# Under ``auto`` PostgreSQL plans a statement's first five calls for their values, then
# weighs a generic plan; a statement planned more often than that is planned every time.
_FIRST_PLANS = 5
# Planned at every order, knowingly: the stock take's arrays (the order's lines) look to
# the planner like ten items, so its one plan looks several times dearer than it is
# (0.45 ms of PostgreSQL's CPU an order). Forcing a generic plan on the order's
# transaction would force it on the throttle's reads too, whose plan depends on their
# parameters (docs/benchmarks.md, fifth pass).
_LEFT_TO_THE_PLANNER = ("WITH wanted AS",)
_PAST_TICKETS = 20_000
_PAST_SHIFTS = 1_000
_PLANS = """
SELECT generic_plans + custom_plans AS calls, custom_plans,
    left(regexp_replace(statement, '\\s+', ' ', 'g'), 90) AS statement
FROM pg_prepared_statements
WHERE generic_plans + custom_plans >= $1
"""


@pytest.fixture
async def database(postgres: MigratedDatabase) -> AsyncIterator[SqlDatabase]:
    """The app's database with one connection a pool, so every call lands on it."""
    ids = Uuid7Generator()
    database = SqlDatabase(
        postgres.url, reaction=reactions(ids, packaged_translator()), pool_size=1
    )
    yield database
    await database.dispose()


async def _a_busy_shift(postgres: MigratedDatabase, database: SqlDatabase) -> ShiftScene:
    """An open shift with a day's finished tickets, its truck with a year of past shifts
    stocked, and the statistics PostgreSQL plans by taken of them."""
    scene = await a_shift_scene(database.unit_of_work, items=2)
    await restock_to(database.unit_of_work, scene, 10_000, 10_000)
    shift, truck, place = scene.shift.id, scene.truck.id, scene.location.id
    async with postgres.engine.begin() as connection:
        await connection.exec_driver_sql(
            """
            INSERT INTO orders (id, shift_id, number, channel, total_cents, created_at,
                created_by_kind, created_by_id, state)
            SELECT gen_random_uuid(), $1, 100000 + n, 'window', 500, $2, 'staff',
                gen_random_uuid(), 'placed'
            FROM generate_series(1, $3) AS n
            """,
            (shift, T0, _PAST_TICKETS),
        )
        await connection.exec_driver_sql(
            """
            INSERT INTO tickets (id, order_id, shift_id, number, state, version, created_at,
                updated_at)
            SELECT gen_random_uuid(), o.id, o.shift_id, o.number, 'completed', 4, $2, $2
            FROM orders o WHERE o.shift_id = $1
            """,
            (shift, T0),
        )
        await connection.exec_driver_sql(
            """
            WITH past AS (
                INSERT INTO shifts (id, truck_id, location_id, state, opened_at,
                    opened_by_kind, opened_by_id, closed_at)
                SELECT gen_random_uuid(), $1, $2, 'closed', $3, 'staff', gen_random_uuid(), $3
                FROM generate_series(1, $4)
                RETURNING id
            )
            INSERT INTO shift_stock (shift_id, item_id, on_hand)
            SELECT past.id, s.item_id, 0 FROM past, shift_stock s WHERE s.shift_id = $5
            """,
            (truck, place, T0, _PAST_SHIFTS, shift),
        )
        await connection.exec_driver_sql("ANALYZE")
    return scene


def _planned_every_time(rows: Sequence[Sequence[object]]) -> list[str]:
    return [
        f"{row[1]} plans in {row[0]} calls: {row[2]}"
        for row in rows
        if row[1] > _FIRST_PLANS  # type: ignore[operator]
        and not str(row[2]).lstrip().startswith(_LEFT_TO_THE_PLANNER)
    ]


async def test_an_orders_statements_are_planned_once(
    postgres: MigratedDatabase, database: SqlDatabase
) -> None:
    scene = await _a_busy_shift(postgres, database)
    place = PlaceOrder(database.unit_of_work(), ManualClock(T0), Uuid7Generator())
    request = PlaceOrderRequest(
        shift_id=scene.shift.id,
        lines=tuple(OrderLineRequest(item_id=item.id, quantity=1) for item in scene.items),
    )
    for _ in range(_CALLS):
        await place.execute(OWNER, request)

    async with database._engine.connect() as connection:  # the pool's one connection
        rows = (await connection.exec_driver_sql(_PLANS, (_CALLS,))).all()

    statements = " ".join(str(row[2]) for row in rows)
    # The order's three are among those counted: the intake, the stock take with the
    # shift's hold, the order with its events.
    for opening in ("WITH sh AS", "WITH wanted AS", "WITH added AS"):
        assert opening in statements
    assert _planned_every_time(rows) == []


async def test_the_kitchen_feed_and_the_credential_are_planned_once(
    postgres: MigratedDatabase, database: SqlDatabase
) -> None:
    scene = await _a_busy_shift(postgres, database)
    now = datetime.now(UTC)
    async with database.reader() as reader:
        head = await reader.tickets.feed_head(scene.shift.id)
    assert head is not None
    held = HeldFeed(seqs=frozenset({head.last_seq}))
    for _ in range(_CALLS):
        async with database.reader() as reader:
            assert await reader.tokens.get_with_holder("ab" * 32) is None
            await reader.tickets.feed_head(scene.shift.id)
            full = await reader.tickets.feed_json_unless_held(
                scene.shift.id, OPEN_STATES, now, HeldFeed()
            )
            not_sent = await reader.tickets.feed_json_unless_held(
                scene.shift.id, OPEN_STATES, now, held
            )
        assert full is not None
        assert full.tickets is not None
        assert not_sent is not None
        assert not_sent.tickets is None

    assert database._driver is not None
    connection = await database._driver.acquire()  # the driver pool's one connection
    try:
        rows = await connection.fetch(_PLANS, _CALLS)
        # The plan kept for the feed is a good one: the shift's open tickets by index,
        # then their orders by key, not a scan of every order (a plan made once for any
        # states, sent as a parameter, was that: 19 ms against 5 on the bench's day).
        feed = await connection.fetchval(
            "SELECT name FROM pg_prepared_statements WHERE statement LIKE '%JOIN orders o%'"
        )
        kept = [
            row[0]
            for row in await connection.fetch(
                f"EXPLAIN EXECUTE {feed}('{scene.shift.id}', now(), false, '{{}}')"
            )
        ]
    finally:
        await database._driver.release(connection)

    assert len(rows) >= 3  # credential, head, feed (sent and held: one statement)
    assert _planned_every_time(rows) == []
    assert not [line for line in kept if "Seq Scan on orders" in line], "\n".join(kept)
