"""The ceiling: the least an ASGI server can do to answer the kitchen's two hot requests.

No framework, no authentication, no middleware: a path match, the same SQL FusionX
runs (the kitchen feed's one query, the ticket's guarded compare-and-set update) on
raw asyncpg, and msgspec to encode. FusionX's figures are read as a fraction of this
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

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

FEED_SQL = """
SELECT t.id, t.order_id, t.number, t.state, t.version, t.created_at, t.updated_at,
       o.customer_name, l.item_id, l.name, l.unit_price_cents, l.quantity, l.notes
FROM tickets t
JOIN orders o ON o.id = t.order_id
LEFT JOIN order_lines l ON l.order_id = t.order_id
WHERE t.shift_id = $1 AND t.state = ANY($2::varchar[])
ORDER BY t.created_at, t.id, l.position
"""
MOVE_SQL = """
UPDATE tickets SET state = $3, version = version + 1, updated_at = $4
WHERE id = $1 AND version = $2
RETURNING id, order_id, shift_id, number, state, version, created_at, updated_at
"""
OPEN_STATES = ["new", "in_prep", "ready"]
POOL_SIZE = 10  # FusionX's pool_size per worker
_FEED = re.compile(r"^/api/v1/shifts/([0-9a-f-]{36})/tickets$")
_MOVE = re.compile(r"^/api/v1/tickets/([0-9a-f-]{36})/transitions$")
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
            _pool = await asyncpg.create_pool(dsn, min_size=POOL_SIZE, max_size=POOL_SIZE)
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
    rows = await _pool.fetch(FEED_SQL, shift_id, OPEN_STATES)
    tickets: list[dict[str, Any]] = []
    for row in rows:
        if not tickets or tickets[-1]["id"] != row[0]:
            tickets.append({
                "id": row[0], "order_id": row[1], "number": row[2], "state": row[3],
                "version": row[4], "created_at": row[5], "updated_at": row[6],
                "customer_name": row[7], "lines": [],
            })  # fmt: skip
        if row[8] is not None:
            tickets[-1]["lines"].append(
                {"item_id": row[8], "name": row[9], "quantity": row[11], "notes": row[12]}
            )
    return msgspec.json.encode({"shift_id": shift_id, "tickets": tickets})


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
