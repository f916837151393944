"""A fresh database per round on the server ``FUSIONX_TEST_DATABASE_URL`` names, and the
checks run on it afterwards."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from bench.servers import BenchError


@dataclass(frozen=True)
class BenchDatabase:
    name: str
    url: str  # for FusionX: postgresql+asyncpg://…
    dsn: str  # for asyncpg itself: postgresql://…


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def fresh_database(server_url: str, *, keep: bool = False) -> AsyncIterator[BenchDatabase]:
    """A new empty database on the server, dropped on exit unless ``keep``."""
    server = make_url(server_url)
    name = f"fusionx_bench_{secrets.token_hex(4)}"
    try:
        admin = await asyncpg.connect(_dsn(server_url), timeout=5)
    except (OSError, asyncpg.PostgresError) as error:
        where = server.render_as_string(hide_password=True)
        raise BenchError(f"cannot reach PostgreSQL at {where}: {error}") from None
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = server.set(database=name).render_as_string(hide_password=False)
        yield BenchDatabase(name=name, url=url, dsn=_dsn(url))
    finally:
        if not keep:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


# Per shift and item: the level, the ledger's sum, units the ledger sold, units ordered.
_STOCK = """
WITH ledger AS (
    SELECT shift_id, item_id, sum(delta) AS total,
           coalesce(-sum(delta) FILTER (WHERE reason = 'sale'), 0) AS sold
    FROM stock_movements GROUP BY shift_id, item_id
), ordered AS (
    SELECT o.shift_id, l.item_id, sum(l.quantity) AS units
    FROM order_lines l JOIN orders o ON o.id = l.order_id GROUP BY o.shift_id, l.item_id
)
SELECT
    count(*) AS levels,
    count(*) FILTER (WHERE s.on_hand <> coalesce(ledger.total, 0)) AS level_not_ledger_sum,
    count(*) FILTER (WHERE s.on_hand < 0 OR coalesce(ledger.total, 0) < 0) AS negative,
    count(*) FILTER (WHERE coalesce(ledger.sold, 0) <> coalesce(ordered.units, 0))
        AS sold_not_ordered,
    count(*) FILTER (WHERE s.on_hand = 0) AS sold_out
FROM shift_stock s
LEFT JOIN ledger USING (shift_id, item_id)
LEFT JOIN ordered USING (shift_id, item_id)
"""


async def stock_check(connection: asyncpg.Connection) -> dict[str, Any]:
    """Whether anything was oversold: every count but ``levels`` and ``sold_out`` must be 0."""
    row = await connection.fetchrow(_STOCK)
    check = dict(row)
    check["oversold"] = (
        check["level_not_ledger_sum"] + check["negative"] + check["sold_not_ordered"]
    )
    return check


# Between the ceiling's order run and FusionX's: the day's special back to its level on
# every shift, by a restock in the ledger (so the check above still holds), so that both
# runs race for the same last units.
_RESTOCK = """
WITH low AS (
    SELECT shift_id, item_id, $1 - on_hand AS delta FROM shift_stock
    WHERE item_id = ANY($2::uuid[]) AND on_hand < $1
    FOR UPDATE
), stocked AS (
    UPDATE shift_stock s SET on_hand = $1 FROM low
    WHERE s.shift_id = low.shift_id AND s.item_id = low.item_id
)
INSERT INTO stock_movements
    (id, shift_id, item_id, delta, on_hand_after, reason, actor_kind, actor_id, at)
SELECT gen_random_uuid(), shift_id, item_id, delta, $1, 'restock', 'staff', $3, now() FROM low
"""


async def restock(
    connection: asyncpg.Connection, items: list[uuid.UUID], level: int, actor: uuid.UUID
) -> None:
    """Every shift's ``items`` back up to ``level``, each with its restock movement."""
    await connection.execute(_RESTOCK, level, items, actor)


# Before each order run: every shift's kitchen queue served back to the depth the day was
# seeded with (its oldest tickets still queued), the rest completed. The tickets the
# runs before left queued (the transition runs', the ceiling's and the floor's orders)
# would otherwise lengthen the queue FusionX's orders read for their promised time
# alone: the ceiling promises a fixed time and reads none.
_SERVE_QUEUES = """
WITH queued AS (
    SELECT id, row_number() OVER (PARTITION BY shift_id ORDER BY created_at, id) AS place
    FROM tickets WHERE state = ANY($2::text[])
)
UPDATE tickets t SET state = 'completed', updated_at = now()
FROM queued q WHERE t.id = q.id AND q.place > $1
"""


async def serve_queues(connection: asyncpg.Connection, depth: int, states: list[str]) -> None:
    """Every shift's tickets in ``states`` beyond its ``depth`` oldest, completed; then
    the tickets vacuumed, as autovacuum would have done over a day, so that their
    indexes no longer lead to the versions this left behind."""
    await connection.execute(_SERVE_QUEUES, depth, states)
    await connection.execute("VACUUM (ANALYZE) tickets")
