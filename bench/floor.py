"""The floor: the least a Litestar app served by granian can do for the kitchen's requests.

The design fixes Litestar, msgspec and granian; the ceiling (``ceiling.py``) has none of
them. The floor is a careful Litestar user's app on them, with the ceiling's statements on
raw asyncpg plus the one statement FusionX cannot skip, authentication: what is left
between FusionX and the floor is FusionX's own code, what is left between the floor and
the ceiling the design's. No middleware, no OpenAPI, no logging config, no DI; handlers
answer bytes in a ``Response``. Routes at FusionX's paths, so the same wrk scripts drive it:

- the kitchen feed: the credential (when a bearer is sent), then FusionX's one statement
  for the feed, the shift's head and, unless ``If-None-Match`` names its ETag (a 304),
  ``ceiling.feed_sql``'s tickets: two statements, as FusionX's feed (authentication,
  ``feed_json_unless_held``);
- a transition: the credential, then ``ceiling.MOVE_SQL`` as the ceiling runs it;
- an order: the credential, then ``ceiling_order.place_order``;
- the event stream (``floor_stream.py``).

Served by granian as ``fusionx serve`` is (``servers.start_floor``), with
``BENCH_FLOOR_DSN`` naming the database.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
from litestar import Litestar, MediaType, Request, Response, get, post

from bench import floor_stream
from bench.ceiling import MOVE_SQL, OPEN_STATES, POOL_SIZE, SERVER_SETTINGS, Move, feed_sql
from bench.ceiling_order import place_order
from bench.floor_auth import ANYONE, bearer_secret, holder

# FusionX's feed shows its open states by default (``tickets.OPEN_STATES``), held tickets
# among them: the ceiling's list has not ``hold`` (the bench seeds none, so both read the
# same rows), the floor's has, for its ETag to be FusionX's (``etags.feed_etag``).
FEED_STATES = sorted([*OPEN_STATES, "hold"])
FEED_DIGEST = hashlib.sha256(",".join(FEED_STATES).encode()).hexdigest()[:12]
FEED_HEADERS = {"Cache-Control": "no-cache"}
# ``tickets.pg_feed_unless_held``: the head and, unless the client holds the feed as of
# its last_seq ($3: any; $4: the numbers its tags name), the tickets, in one statement.
_TICKETS_SQL = feed_sql(FEED_STATES)
FEED_UNLESS_HELD_SQL = f"""
SELECT s.truck_id, s.last_seq,
    CASE WHEN $3::boolean OR s.last_seq = ANY($4::integer[]) THEN NULL ELSE ({_TICKETS_SQL}) END
FROM shifts s
WHERE s.id = $1
"""  # noqa: S608 - two constants of ours
_SUFFIX = f'-{FEED_DIGEST}"'
_SEQS = range(-(2**31), 2**31)  # shifts.last_seq is an integer
_NOT_FOUND = Response(b'{"status":404}', status_code=404, media_type=MediaType.JSON)
_CONFLICT = Response(b'{"status":409}', status_code=409, media_type=MediaType.JSON)
_MOVED = ("id", "order_id", "shift_id", "number", "state", "version", "created_at", "updated_at")


def feed_etag(last_seq: int) -> str:
    return f'W/"{last_seq}-{FEED_DIGEST}"'


def held_seqs(if_none_match: str | None) -> tuple[bool, list[int]]:
    """Whether ``If-None-Match`` names any feed (``*``), and the last_seq of each tag of
    the default feed it names (``etags.held_feed``)."""
    seqs = []
    for tag in (if_none_match or "").split(","):
        opaque = tag.strip().removeprefix("W/")
        if opaque == "*":
            return True, []
        if opaque.startswith('"') and opaque.endswith(_SUFFIX):
            seq = opaque[1 : -len(_SUFFIX)]
            if seq.isascii() and seq.isdigit() and len(seq) < 19 and int(seq) in _SEQS:
                seqs.append(int(seq))
    return False, seqs


async def _authenticated(request: Request[Any, Any, Any]) -> UUID | Response[bytes] | None:
    """None without a bearer (the framework-only runs), else ``holder``'s answer."""
    secret = bearer_secret(request.headers.get("authorization"))
    return None if secret is None else await holder(request.app.state.pool, secret)


@get("/health", media_type=MediaType.JSON)
async def health() -> Response[bytes]:
    return Response(b'{"status":"ok"}', media_type=MediaType.JSON)


@get("/api/v1/shifts/{shift_id:uuid}/tickets")
async def feed(request: Request[Any, Any, Any], shift_id: UUID) -> Response[bytes]:
    truck = await _authenticated(request)
    if isinstance(truck, Response):
        return truck
    pool: asyncpg.Pool = request.app.state.pool
    any_held, seqs = held_seqs(request.headers.get("if-none-match"))
    now = datetime.now(UTC)
    row = await pool.fetchrow(FEED_UNLESS_HELD_SQL, shift_id, now, any_held, seqs)
    if row is None or truck not in (None, ANYONE, row[0]):
        return _NOT_FOUND
    etag = feed_etag(row[1])
    if row[2] is None:
        return Response(None, status_code=304, headers={"ETag": etag})
    body = b'{"shift_id":"%s","last_seq":%d,"tickets":%s}' % (
        str(shift_id).encode(),
        row[1],
        row[2].encode(),
    )
    return Response(body, media_type=MediaType.JSON, headers={"ETag": etag, **FEED_HEADERS})


@post("/api/v1/tickets/{ticket_id:uuid}/transitions", status_code=200)
async def transition(
    request: Request[Any, Any, Any], ticket_id: UUID, data: Move
) -> Response[bytes]:
    truck = await _authenticated(request)
    if isinstance(truck, Response):
        return truck
    pool: asyncpg.Pool = request.app.state.pool
    row = await pool.fetchrow(MOVE_SQL, ticket_id, data.version, data.to, datetime.now(UTC))
    if row is None:
        return _CONFLICT
    body = msgspec.json.encode(dict(zip(_MOVED, row, strict=True)))
    return Response(body, media_type=MediaType.JSON)


@post("/api/v1/shifts/{shift_id:uuid}/orders")
async def order(request: Request[Any, Any, Any], shift_id: UUID, body: bytes) -> Response[bytes]:
    truck = await _authenticated(request)
    if isinstance(truck, Response):
        return truck
    status, answer = await place_order(request.app.state.pool, shift_id, body)
    return Response(answer, status_code=status, media_type=MediaType.JSON)


@asynccontextmanager
async def _database(app: Litestar) -> AsyncIterator[None]:
    """The ceiling's pool, and the stream's LISTEN connection, for the worker's life."""
    dsn = os.environ["BENCH_FLOOR_DSN"]
    app.state.pool = await asyncpg.create_pool(
        dsn, min_size=POOL_SIZE, max_size=POOL_SIZE, server_settings=SERVER_SETTINGS
    )
    try:
        async with floor_stream.listening(dsn, app.state.pool) as hub:
            app.state.hub = hub
            yield
    finally:
        await app.state.pool.close()


def create_app() -> Litestar:
    """granian's factory (``--factory bench.floor:create_app``): nothing at import time."""
    return Litestar(
        route_handlers=[health, feed, transition, order, floor_stream.events],
        lifespan=[_database],
        openapi_config=None,
        logging_config=None,
    )
