"""The floor's event stream: the least a correct fan-out on Litestar does.

Enough of FusionX's protocol (``followShiftEvents``) that ``fanout.py``'s clients work
unchanged: the bearer on the upgrade, ``?last_seq=``, every event after it once and in
order as ``{"shift_id", "seq", "type", "at", "data"}``, a ``{"type": "ping"}`` every
20 s in each connection's own phase, and a close after two silent intervals.

One LISTEN connection per worker on FusionX's channel; one task puts what it hears in
seq order per shift (a pointer, or a gap, is read from the log) and encodes each event's
frame once for all its sockets; each socket has a queue and a task sending from it. A
client catches up from the log after subscribing, so nothing falls between the two.

Not done, where FusionX does it: re-checking the credential at each ping and on
revocation, the per-credential stream cap, the stream's public shape of each event's
``data`` (sent as recorded), the first-message auth for browsers, draining on shutdown.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect

from bench.floor_auth import ANYONE, HEAD_SQL, bearer_secret, holder

CHANNEL = "fusionx_events"  # fusionx.adapters.events.pg_payload.CHANNEL
PING_INTERVAL = 20.0
PING = '{"type":"ping"}'
# The log's rows as frames, for a catch-up and for what NOTIFY did not carry.
LOG_SQL = """
SELECT seq, json_build_object('shift_id', shift_id, 'seq', seq, 'type', type,
    'at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'data', data)::text
FROM shift_events WHERE shift_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq
"""
_ALL = 2**31 - 1  # seq is an integer column


class _Logged(msgspec.Struct, frozen=True):
    shift_id: UUID
    seq: int
    at: msgspec.Raw
    data: msgspec.Raw


class _Whole(msgspec.Struct, frozen=True, tag="event"):
    event: _Logged


class _Pointer(msgspec.Struct, frozen=True, tag="pointer"):
    shift_id: UUID
    seq: int


class _Revoked(msgspec.Struct, frozen=True, tag="revoked"):
    pass


class _Typed(msgspec.Struct, frozen=True):
    type: str


_payloads = msgspec.json.Decoder(_Whole | _Pointer | _Revoked)
_types = msgspec.json.Decoder(_Typed)
Frame = tuple[int, str]  # seq (0: a ping, sent whatever came before), the text frame


class _Client:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.queue: asyncio.Queue[Frame | None] = asyncio.Queue()
        self.heard = loop.time()
        self.gone = False  # the client disconnected
        self.ping_at = self.heard + random.uniform(PING_INTERVAL / 2, PING_INTERVAL)


class Hub:
    """A worker's sockets by shift, fed in seq order from one LISTEN connection."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._inbox: asyncio.Queue[str] = asyncio.Queue()
        self._clients: dict[UUID, set[_Client]] = {}
        self._last: dict[UUID, int] = {}  # the last seq dispatched, per shift

    def heard(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        self._inbox.put_nowait(payload)

    def subscribe(self, shift_id: UUID, client: _Client) -> None:
        self._clients.setdefault(shift_id, set()).add(client)

    def unsubscribe(self, shift_id: UUID, client: _Client) -> None:
        clients = self._clients.get(shift_id)
        if clients is not None:
            clients.discard(client)
            if not clients:
                del self._clients[shift_id]

    async def log(self, shift_id: UUID, after: int, upto: int = _ALL) -> list[Frame]:
        rows = await self._pool.fetch(LOG_SQL, shift_id, after, upto)
        return [(row[0], row[1]) for row in rows]

    async def dispatch(self) -> None:
        while True:
            payload = _payloads.decode(await self._inbox.get())
            if isinstance(payload, _Revoked):
                continue
            shift_id = payload.event.shift_id if isinstance(payload, _Whole) else payload.shift_id
            clients = self._clients.get(shift_id)
            if not clients:
                self._last.pop(shift_id, None)
                continue
            seq = payload.event.seq if isinstance(payload, _Whole) else payload.seq
            last = self._last.get(shift_id, seq - 1)
            if seq <= last:
                continue  # read from the log already, for a gap
            if seq > last + 1 or isinstance(payload, _Pointer):
                frames = await self.log(shift_id, last, seq)
            else:
                frames = [(seq, _frame(payload.event))]
            self._last[shift_id] = seq
            for client in self._clients.get(shift_id, ()):
                for frame in frames:
                    client.queue.put_nowait(frame)

    async def keep_alive(self) -> None:
        """Once a second: ping the clients whose phase has come, close the silent."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(1)
            now = loop.time()
            for clients in self._clients.values():
                for client in clients:
                    if now > client.heard + 2 * PING_INTERVAL:
                        client.queue.put_nowait(None)
                    elif now >= client.ping_at:
                        client.queue.put_nowait((0, PING))
                        client.ping_at = now + PING_INTERVAL


def _frame(event: _Logged) -> str:
    kind = _types.decode(event.data).type
    return '{"shift_id":"%s","seq":%d,"type":"%s","at":%s,"data":%s}' % (  # noqa: UP031
        event.shift_id,
        event.seq,
        kind,
        bytes(event.at).decode(),
        bytes(event.data).decode(),
    )


@asynccontextmanager
async def listening(dsn: str, pool: asyncpg.Pool) -> AsyncIterator[Hub]:
    hub = Hub(pool)
    connection = await asyncpg.connect(dsn)
    tasks = [asyncio.create_task(hub.dispatch()), asyncio.create_task(hub.keep_alive())]
    try:
        await connection.add_listener(CHANNEL, hub.heard)
        yield hub
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await connection.close()


@websocket("/api/v1/shifts/{shift_id:uuid}/events")
async def events(socket: WebSocket[Any, Any, Any], shift_id: UUID) -> None:
    await socket.accept()
    hub: Hub = socket.app.state.hub
    raw = socket.query_params.get("last_seq", "0")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        await socket.close(4400, "last_seq must be a whole number, 0 or more")
        return
    secret = bearer_secret(socket.headers.get("authorization"))
    truck = None if secret is None else await holder(socket.app.state.pool, secret)
    if not isinstance(truck, UUID):
        await socket.close(4401 if truck is None or truck.status_code == 401 else 4403, "refused")
        return
    head = await socket.app.state.pool.fetchrow(HEAD_SQL, shift_id)
    if head is None or truck not in (ANYONE, head[0]):
        await socket.close(4404, "no such shift on the caller's trucks")
        return
    client = _Client(asyncio.get_running_loop())
    hub.subscribe(shift_id, client)
    reader = asyncio.create_task(_hear(socket, client))
    try:
        last = int(raw)
        for seq, frame in await hub.log(shift_id, last):
            await socket.send_data(frame, mode="text")
            last = seq
        while (frame := await client.queue.get()) is not None:
            if frame[0] == 0 or frame[0] > last:
                await socket.send_data(frame[1], mode="text")
                last = frame[0] or last
        if not client.gone:
            await socket.close(4408, "no message from the client for two ping intervals")
    except WebSocketDisconnect:
        pass
    finally:
        hub.unsubscribe(shift_id, client)
        reader.cancel()


async def _hear(socket: WebSocket[Any, Any, Any], client: _Client) -> None:
    """Any message is a sign of life; a disconnect ends the sending side too."""
    loop = asyncio.get_running_loop()
    try:
        while True:
            await socket.receive_data("text")
            client.heard = loop.time()
    except WebSocketDisconnect:
        client.gone = True
        client.queue.put_nowait(None)
