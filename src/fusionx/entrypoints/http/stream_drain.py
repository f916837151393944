"""Event streams on a draining worker are closed with 1001 (going away), and its HTTP
responses close their connection, so that clients move to the instances that stay.

The close is sent here, around the whole app, so no stream handler needs to know of
shutdowns: the client gets ``CloseCode.GOING_AWAY`` and reconnects, to another instance,
with its ``last_seq``; the handler sees its client leave. A stream that opens while the
worker drains is accepted and closed the same way at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

from fusionx.entrypoints.http.schemas.stream import CloseCode
from fusionx.entrypoints.shutdown import Drain

_log = structlog.stdlib.get_logger("fusionx.shutdown")
REASON = "Server restarting: reconnect with last_seq"
_CLOSE_WAIT_SECONDS = 2.0
_DISCONNECT: ReceiveMessage = {"type": "websocket.disconnect", "code": int(CloseCode.GOING_AWAY)}


class StreamDrainMiddleware:
    def __init__(self, app: ASGIApp, drain: Drain) -> None:
        self._app = app
        self._drain = drain
        self._open: set[_Connection] = set()
        drain.on_drain(self.close_all)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and self._drain.draining:
            await self._app(scope, receive, _closing(send))
            return
        if scope["type"] != ScopeType.WEBSOCKET:
            await self._app(scope, receive, send)
            return
        if self._drain.draining:
            await receive()  # websocket.connect
            await send({"type": "websocket.accept"})  # type: ignore[typeddict-item]
            await send(_close_message())
            return
        connection = _Connection(receive, send)
        self._open.add(connection)
        try:
            await self._app(scope, connection.receive, connection.send)
        finally:
            self._open.discard(connection)

    async def close_all(self) -> None:
        _log.info("closing event streams: going away", streams=len(self._open))
        await asyncio.gather(*(c.go_away() for c in list(self._open)), return_exceptions=True)


def _closing(send: Send) -> Send:
    """``send``, with ``Connection: close`` on the response: the client's next request
    opens a new connection, which the balancer gives to an instance that stays."""

    async def closing(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [*message.get("headers", []), (b"connection", b"close")]
            message = {**message, "headers": headers}
        await send(message)

    return closing


def _close_message() -> Any:
    return {"type": "websocket.close", "code": int(CloseCode.GOING_AWAY), "reason": REASON}


class _Connection:
    """One socket's ASGI channel, which ``go_away`` can close from outside the handler.

    Its lock is the only one a stream's sends take: the events controller sends events
    and pings from two tasks and relies on it to keep their frames apart.
    """

    def __init__(self, receive: Receive, send: Send) -> None:
        self._receive = receive
        self._send = send
        self._lock = asyncio.Lock()
        self._accepted = False
        self._closed = False
        self._gone = asyncio.Event()
        self._close_sent = asyncio.Event()

    async def send(self, message: Message) -> None:
        async with self._lock:
            if self._closed:  # ours went first: the handler's close or frame is moot
                return
            if message["type"] == "websocket.accept":
                self._accepted = True
            elif message["type"] == "websocket.close":
                self._closed = True
            await self._send(message)

    async def receive(self) -> ReceiveMessage:
        if self._gone.is_set():
            return await self._disconnect()
        heard = asyncio.ensure_future(self._receive())
        gone = asyncio.ensure_future(self._gone.wait())
        try:
            await asyncio.wait({heard, gone}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            # The handler stopped listening (it is closing the socket itself): granian
            # sends a close frame only once no receive is pending.
            heard.cancel()
            raise
        finally:
            gone.cancel()
        if heard.done():
            return heard.result()
        heard.cancel()
        return await self._disconnect()

    async def _disconnect(self) -> ReceiveMessage:
        # The handler must not end before the close frame is out: granian would close the
        # socket without it. The frame may wait behind an event being sent.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._close_sent.wait(), _CLOSE_WAIT_SECONDS)
        return _DISCONNECT

    async def go_away(self) -> None:
        # The handler stops waiting for its client at once (granian delivers the close
        # frame only once the handler's receive is done), and ends once the frame is out.
        self._gone.set()
        try:
            async with self._lock:
                if not self._closed:
                    self._closed = True
                    with contextlib.suppress(Exception):  # the client may be gone already
                        if not self._accepted:
                            accept: Any = {"type": "websocket.accept"}
                            await self._send(accept)
                            self._accepted = True
                        await self._send(_close_message())
        finally:
            self._close_sent.set()
