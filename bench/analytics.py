"""The analytics scenario: a year of a 50-truck fleet (2,000,000 orders by default, with
lines, tickets, cancellations, refunds, sold-out items and throttle refusals) seeded by
COPY, rolled up the way production does it (the ``roll-up-analytics`` job's use case,
batch after batch), then the analytics queries timed against their 1-second target.

The last day's shifts are left open, so every query also computes its fresh tail (50
open shifts read from their rows), as it does in service. The queries run in process
through the same unit of work the routes use (the HTTP layer adds a constant few ms).
``python -m bench.analytics [orders]`` runs it alone, on a fresh database; with
``BENCH_ANALYTICS_DATABASE=<name>`` it runs on that database instead, kept afterwards:
created, migrated and seeded if it holds no order yet, its rollup finished if the job left
shifts behind, then timed, so a year is seeded once and the queries are timed again and
again against it.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy.engine import make_url

from bench.config import LOCAL_POSTGRES, SERVER_URL_VARIABLE
from bench.database import fresh_database
from bench.orders_owed import OrdersOwed
from bench.seed import Fleet, seed_base
from bench.servers import fusionx_cli
from fusionx.adapters.clock.system_clock import SystemClock
from fusionx.adapters.sql.database import SqlDatabase
from fusionx.core.model.analytics import AnalyticsRange, Bucket
from fusionx.core.use_cases.commands.roll_up_analytics import RollUpAnalytics

TARGET_S = 1.0
TRUCKS = 50
DAYS = 365
RUNS = 5
ZONES = ("Europe/London", "Europe/Paris", "America/New_York", "Asia/Kolkata")
ROLLUP_TABLES = ("analytics_hours", "analytics_days", "analytics_day_durations",
                 "analytics_hour_durations", "analytics_reasons", "analytics_items",
                 "analytics_fleet_day_durations", "analytics_fleet_day_reasons",
                 "analytics_fleet_day_items")  # fmt: skip
REASONS = ("customer_request", "out_of_stock", "kitchen_error", "duplicate")
_TABLES = {
    "shifts": ("id", "truck_id", "location_id", "state", "opened_at", "opened_by_kind",
               "opened_by_id", "closed_at", "last_seq", "last_order_number"),
    "orders": ("id", "shift_id", "number", "channel", "total_cents", "created_at",
               "created_by_kind", "created_by_id"),
    "order_lines": ("order_id", "position", "item_id", "name", "unit_price_cents", "quantity"),
    "tickets": ("id", "order_id", "shift_id", "number", "state", "version", "created_at",
                "updated_at", "prep_at", "ready_at"),
    "order_cancellations": ("order_id", "ticket_id", "shift_id", "number", "reason",
                            "from_state", "stock_returned", "amount_cents", "actor_kind",
                            "actor_id", "at"),
    "refunds": ("id", "order_id", "shift_id", "reason", "amount_cents", "actor_kind",
                "actor_id", "at", "status"),
    "stock_movements": ("id", "shift_id", "item_id", "delta", "on_hand_after", "reason",
                        "actor_kind", "actor_id", "at"),
    "throttle_refusals": ("shift_id", "quarter", "refusals"),
}  # fmt: skip


async def seed_year(connection: asyncpg.Connection, fleet: Fleet, orders: int) -> dict[str, int]:
    """``orders`` orders over the last ``DAYS`` days, a shift a truck a day from 10:00 to
    21:00 local, each truck at a location of one of ``ZONES``; today's shifts open."""
    rng = random.Random(2026)  # the same year every run
    actor = fleet.owner_id or uuid.uuid4()
    zone_of = {
        location: ZoneInfo(ZONES[n % len(ZONES)]) for n, location in enumerate(fleet.locations)
    }
    for location, zone in zone_of.items():
        await connection.execute(
            "UPDATE locations SET timezone = $1 WHERE id = $2", zone.key, location
        )
    trucks = fleet.trucks[:TRUCKS]
    owed = OrdersOwed(orders / (len(trucks) * DAYS))
    today = datetime.now(UTC).date()
    counts = dict.fromkeys(_TABLES, 0)
    for offset in range(DAYS - 1, -1, -1):
        rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in _TABLES}
        day = today - timedelta(days=offset)
        for n, truck in enumerate(trucks):
            location = fleet.locations[n % len(fleet.locations)]
            count = owed.next_shift(rng)
            _shift(rows, rng, fleet=fleet, truck=truck, location=location,
                   zone=zone_of[location], day=day, actor=actor, count=count,
                   still_open=offset == 0)  # fmt: skip
        for table, records in rows.items():
            if records:
                await connection.copy_records_to_table(
                    table, columns=_TABLES[table], records=records
                )
                counts[table] += len(records)
    await connection.execute("ANALYZE")
    return counts


def _shift(
    rows: dict[str, list[tuple[Any, ...]]],
    rng: random.Random,
    *,
    fleet: Fleet,
    truck: uuid.UUID,
    location: uuid.UUID,
    zone: ZoneInfo,
    day: date,
    actor: uuid.UUID,
    count: int,
    still_open: bool,
) -> None:
    shift = uuid.uuid4()
    opens = datetime.combine(day, clock_time(10), zone).astimezone(UTC)
    closes = datetime.combine(day, clock_time(21), zone).astimezone(UTC)
    rows["shifts"].append((shift, truck, location, "open" if still_open else "closed", opens,
                           "staff", actor, None if still_open else closes, 0, count))  # fmt: skip
    span = (closes - opens).total_seconds() - 3600
    for number in range(1, count + 1):
        order, ticket = uuid.uuid4(), uuid.uuid4()
        at = opens + timedelta(seconds=1800 + rng.random() * span)
        total = 0
        for position in range(rng.choice((1, 1, 2, 2, 3))):
            item = fleet.items[rng.randrange(len(fleet.items))]
            quantity = rng.choice((1, 1, 1, 2))
            total += item.price_cents * quantity
            rows["order_lines"].append(
                (order, position, item.id, item.name, item.price_cents, quantity)
            )
        rows["orders"].append((order, shift, number, "window", total, at, "staff", actor))
        draw = rng.random()
        if draw < 0.03:
            rows["tickets"].append((ticket, order, shift, number, "cancelled", 2, at, at,
                                    None, None))  # fmt: skip
            rows["order_cancellations"].append(
                (order, ticket, shift, number, rng.choice(REASONS), "new", True, total,
                 "staff", actor, at + timedelta(minutes=2))
            )  # fmt: skip
            continue
        prep_at = at + timedelta(seconds=rng.uniform(30, 360))
        ready_at = prep_at + timedelta(seconds=rng.uniform(180, 720))
        rows["tickets"].append((ticket, order, shift, number, "completed", 4, at, ready_at,
                                prep_at, ready_at))  # fmt: skip
        if draw < 0.05:
            rows["refunds"].append((uuid.uuid4(), order, shift, rng.choice(REASONS),
                                    max(1, total // 2), "staff", actor,
                                    ready_at + timedelta(minutes=10), "succeeded"))  # fmt: skip
    # Two items sold out a while each, then restocked; a few throttle refusals.
    for item in rng.sample(fleet.items, 2):
        out = opens + timedelta(seconds=rng.uniform(3600, span))
        back = out + timedelta(minutes=rng.uniform(10, 90))
        for delta, after, reason, at in ((20, 20, "restock", opens), (-20, 0, "waste", out),
                                         (10, 10, "restock", back)):  # fmt: skip
            rows["stock_movements"].append((uuid.uuid4(), shift, item.id, delta, after,
                                            reason, "staff", actor, at))  # fmt: skip
    quarters = {opens + timedelta(minutes=15 * rng.randrange(44)) for _ in range(3)}
    rows["throttle_refusals"].extend((shift, q, rng.randint(1, 4)) for q in sorted(quarters))


async def roll_up(url: str) -> dict[str, Any]:
    """The job's use case, run until no closed shift is left to roll up."""
    database = SqlDatabase(url)
    job = RollUpAnalytics(database.unit_of_work, SystemClock())
    started, shifts = time.perf_counter(), 0
    try:
        while rolled := await job.execute():
            shifts += rolled
    finally:
        await database.dispose()
    return {"shifts": shifts, "seconds": round(time.perf_counter() - started, 1)}


async def time_queries(url: str) -> list[dict[str, Any]]:
    """Each query ``RUNS`` times after one unrecorded run: median and slowest, in ms."""
    database = SqlDatabase(url)
    today = datetime.now(UTC).date()
    year = (today - timedelta(days=DAYS - 1), today)
    week = (today - timedelta(days=6), today)
    now = datetime.now(UTC)
    truck: uuid.UUID | None = None

    async def report(trucks: frozenset[uuid.UUID] | None, span: AnalyticsRange) -> object:
        async with database.reader() as uow:
            return await uow.analytics.report(trucks, span, now)

    async def top() -> object:
        async with database.reader() as uow:
            return await uow.analytics.top_items(None, *year, 10, now)

    connection = await asyncpg.connect(_dsn(url))
    try:
        truck = await connection.fetchval("SELECT id FROM trucks ORDER BY name LIMIT 1")
    finally:
        await connection.close()
    one = frozenset({truck})
    queries: list[tuple[str, Callable[[], Awaitable[object]]]] = [
        ("fleet by week over the year",
         lambda: report(None, AnalyticsRange(first=year[0], last=year[1], bucket=Bucket.WEEK))),
        ("one truck by day over the year",
         lambda: report(one, AnalyticsRange(first=year[0], last=year[1], bucket=Bucket.DAY))),
        ("fleet by hour over a week",
         lambda: report(None, AnalyticsRange(first=week[0], last=week[1], bucket=Bucket.HOUR))),
        ("fleet by day over the year",
         lambda: report(None, AnalyticsRange(first=year[0], last=year[1], bucket=Bucket.DAY))),
        ("top items over the year", top),
    ]  # fmt: skip
    results = []
    try:
        for name, query in queries:
            await query()
            timings = []
            for _ in range(RUNS):
                started = time.perf_counter()
                await query()
                timings.append(time.perf_counter() - started)
            results.append({
                "query": name,
                "median_ms": round(statistics.median(timings) * 1000, 1),
                "max_ms": round(max(timings) * 1000, 1),
                "target_ms": TARGET_S * 1000,
                "met": max(timings) < TARGET_S,
            })  # fmt: skip
    finally:
        await database.dispose()
    return results


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def measure_analytics(
    db_url: str, dsn: str, fleet: Fleet | None, orders: int
) -> dict[str, Any]:
    """Seed the year into the database (unless ``fleet`` is None: seeded already), roll it
    up, time the queries."""
    connection = await asyncpg.connect(dsn)
    try:
        started = time.perf_counter()
        if fleet is None:
            counts = {
                table: await connection.fetchval(f"SELECT count(*) FROM {table}")  # noqa: S608
                for table in _TABLES
            }
        else:
            counts = await seed_year(connection, fleet, orders)
        seeded = time.perf_counter() - started
        print(f"seeded in {seeded:.0f} s: {counts}; rolling up", file=sys.stderr)
        rollup = await roll_up(db_url)
        print(f"rolled up: {rollup}; timing the queries", file=sys.stderr)
        sizes = {
            table: await connection.fetchval(f"SELECT count(*) FROM {table}")  # noqa: S608
            for table in ROLLUP_TABLES
        }
        # What autovacuum does to tables that only grow (PostgreSQL 13 on): without the
        # visibility map the covering indexes could not answer from the index alone.
        await connection.execute(f"VACUUM (ANALYZE) {', '.join(ROLLUP_TABLES)}")
    finally:
        await connection.close()
    return {
        "orders": counts["orders"],
        "rows": counts,
        "seed_seconds": round(seeded, 1),
        "rollup": rollup | {"rows": sizes},
        "queries": await time_queries(db_url),
    }


KEEP_VARIABLE = "BENCH_ANALYTICS_DATABASE"


async def kept(server_url: str, name: str, orders: int) -> dict[str, Any]:
    """The scenario on the database ``name``, kept: seeded only if it holds no order, its
    rollup resumed (nothing to do when the job has rolled every closed shift up)."""
    server = make_url(server_url)
    url = server.set(database=name).render_as_string(hide_password=False)
    admin = await asyncpg.connect(_dsn(server_url))
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    fusionx_cli(url, "db", "upgrade")
    connection = await asyncpg.connect(_dsn(url))
    try:
        if await connection.fetchval("SELECT count(*) FROM orders"):
            print(f"{name} is seeded: resuming its rollup", file=sys.stderr)
            return await measure_analytics(url, _dsn(url), None, orders)
        fleet = await seed_base(connection, TRUCKS, 40)
    finally:
        await connection.close()
    print(f"seeding {orders} orders over {DAYS} days into {name}", file=sys.stderr)
    return await measure_analytics(url, _dsn(url), fleet, orders)


async def alone(orders: int) -> dict[str, Any]:
    import os  # noqa: PLC0415

    server_url = os.environ.get(SERVER_URL_VARIABLE, LOCAL_POSTGRES)
    if name := os.environ.get(KEEP_VARIABLE):
        return await kept(server_url, name, orders)
    async with fresh_database(server_url) as db:
        fusionx_cli(db.url, "db", "upgrade")
        connection = await asyncpg.connect(db.dsn)
        try:
            fleet = await seed_base(connection, TRUCKS, 40)
        finally:
            await connection.close()
        print(f"seeding {orders} orders over {DAYS} days", file=sys.stderr)
        return await measure_analytics(db.url, db.dsn, fleet, orders)


if __name__ == "__main__":
    import json

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    result = asyncio.run(alone(count))
    print(json.dumps(result, indent=2))
    sys.exit(0 if all(query["met"] for query in result["queries"]) else 1)
