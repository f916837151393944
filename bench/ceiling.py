"""The ceiling: the least an ASGI server can do to answer the kitchen's three hot requests.

No framework, no authentication, no middleware: a path match, the same SQL FusionX
runs (the kitchen feed's one query, the ticket's guarded compare-and-set update) or
writes the same rows (an order: ``bench/ceiling_order.py``) on raw asyncpg,
PostgreSQL or msgspec to encode. FusionX's figures are read as a fraction of this
app's, measured in the same run on the same machine and database.

Served by granian: ``granian --interface asgi bench.ceiling:app`` with
``BENCH_CEILING_DSN`` naming the database.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import asyncpg
import msgspec

from bench.ceiling_order import place_order

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

# The tickets' JSON as FusionX's kitchen feed builds it on PostgreSQL: the subquery of
# the one statement that also reads the shift's head (PgTicketRepository
# .feed_json_unless_held), so the ceiling only wraps it. Copied, not imported, so the
# ceiling loads none of FusionX's stack; a test keeps the two the same. The states are
# written into the text, as FusionX writes them (``tickets.pg_feed_unless_held``).
_FEED_SQL = """
SELECT coalesce(json_agg(json_build_object(
    'id', t.id, 'order_id', t.order_id, 'number', t.number, 'state', t.state,
    'version', t.version,
    'created_at', to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'updated_at', to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'age_seconds', greatest(0, floor(extract(epoch FROM $2::timestamptz - t.created_at)))::int,
    'customer_name', o.customer_name,
    'lines', coalesce((
        SELECT json_agg(json_build_object(
            'item_id', l.item_id, 'name', l.name, 'quantity', l.quantity, 'notes', l.notes,
            'modifiers', coalesce((
                SELECT json_agg(m.value->>'name' ORDER BY m.n)
                FROM json_array_elements(l.modifiers) WITH ORDINALITY AS m(value, n)
            ), '[]'::json)
        ) ORDER BY l.position)
        FROM order_lines l WHERE l.order_id = t.order_id
    ), '[]'::json),
    'held_from', t.held_from,
    'fire_at', to_char(t.fire_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'promised_ready_at',
        to_char(o.promised_ready_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
) ORDER BY t.created_at, t.id), '[]'::json)::text
FROM tickets t JOIN orders o ON o.id = t.order_id
WHERE t.shift_id = $1 AND t.state IN ({states})
"""
MOVE_SQL = """
UPDATE tickets SET state = $3, version = version + 1, updated_at = $4,
    prep_at = CASE WHEN $3::varchar = 'in_prep' THEN coalesce(prep_at, $4) ELSE prep_at END,
    ready_at = CASE WHEN $3::varchar = 'ready' THEN $4 ELSE ready_at END
WHERE id = $1 AND version = $2
RETURNING id, order_id, shift_id, number, state, version, created_at, updated_at
"""
OPEN_STATES = ["new", "in_prep", "ready"]
POOL_SIZE = 10  # FusionX's pool_size per worker
# Each statement planned once per connection, as FusionX's hot statements are: left to
# judge, PostgreSQL re-plans the order's at every call (docs/benchmarks.md, fifth pass).
SERVER_SETTINGS = {"plan_cache_mode": "force_generic_plan"}


def feed_sql(states: list[str]) -> str:
    """The tickets' JSON of ``states``; ``$1`` the shift, ``$2`` now."""
    return _FEED_SQL.replace("{states}", ", ".join(f"'{state}'" for state in sorted(states)))


FEED_SQL = feed_sql(OPEN_STATES)
_FEED = re.compile(r"^/api/v1/shifts/([0-9a-f-]{36})/tickets$")
_MOVE = re.compile(r"^/api/v1/tickets/([0-9a-f-]{36})/transitions$")
_ORDER = re.compile(r"^/api/v1/shifts/([0-9a-f-]{36})/orders$")
_JSON = [(b"content-type", b"application/json")]


class Move(msgspec.Struct, frozen=True):
    to: str
    version: int


_moves = msgspec.json.Decoder(Move)
_pool: asyncpg.Pool | None = None


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
    elif scope["type"] == "http":
        status, body = await _route(scope, receive)
        await send({"type": "http.response.start", "status": status, "headers": _JSON})
        await send({"type": "http.response.body", "body": body})


async def _lifespan(receive: Receive, send: Send) -> None:
    global _pool  # noqa: PLW0603 - one pool per worker process, opened by the lifespan
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            dsn = os.environ["BENCH_CEILING_DSN"]
            _pool = await asyncpg.create_pool(
                dsn, min_size=POOL_SIZE, max_size=POOL_SIZE, server_settings=SERVER_SETTINGS
            )
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            if _pool is not None:
                await _pool.close()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _route(scope: Scope, receive: Receive) -> tuple[int, bytes]:
    path, method = scope["path"], scope["method"]
    if path == "/health":
        return 200, b'{"status":"ok"}'
    if method == "GET" and (match := _FEED.match(path)):
        return 200, await _feed(uuid.UUID(match[1]))
    if method == "POST" and (match := _MOVE.match(path)):
        return await _move(uuid.UUID(match[1]), await _body(receive))
    if method == "POST" and (match := _ORDER.match(path)):
        assert _pool is not None  # noqa: S101 - the lifespan opened it
        return await place_order(_pool, uuid.UUID(match[1]), await _body(receive))
    return 404, b'{"status":404}'


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _feed(shift_id: uuid.UUID) -> bytes:
    assert _pool is not None  # noqa: S101 - the lifespan opened it
    tickets: str = await _pool.fetchval(FEED_SQL, shift_id, datetime.now(UTC))
    return b'{"shift_id":"%s","tickets":%s}' % (str(shift_id).encode(), tickets.encode())


async def _move(ticket_id: uuid.UUID, body: bytes) -> tuple[int, bytes]:
    assert _pool is not None  # noqa: S101 - the lifespan opened it
    try:
        move = _moves.decode(body)
    except msgspec.ValidationError:
        return 422, b'{"status":422}'
    row = await _pool.fetchrow(MOVE_SQL, ticket_id, move.version, move.to, datetime.now(UTC))
    if row is None:
        return 409, b'{"status":409}'
    keys = ("id", "order_id", "shift_id", "number", "state", "version", "created_at", "updated_at")
    return 200, msgspec.json.encode(dict(zip(keys, row, strict=True)))
