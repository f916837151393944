"""``WS /api/v1/shifts/{shift_id}/events``: a shift's events, live, for TruckKDS."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import msgspec
import structlog
from litestar import Controller, WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect
from litestar.params import FromPath

from fusionx.adapters.observability.metrics import metrics
from fusionx.core.errors import (
    AuthenticationRequired,
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from fusionx.core.model.events import ShiftEvent
from fusionx.core.model.principals import DevicePrincipal, Principal, StaffPrincipal
from fusionx.core.use_cases.queries.follow_shift_events import FollowShiftEvents
from fusionx.entrypoints import use_cases
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.auth import bearer_secret
from fusionx.entrypoints.http.dependencies import AppAdapters, UseCase
from fusionx.entrypoints.http.locales import request_locale
from fusionx.entrypoints.http.problems import say
from fusionx.entrypoints.http.schemas.events import Auth, ClientMessage, EventMessage, Ping
from fusionx.entrypoints.http.stream_limits import LIMITS_STATE_KEY, StreamLimits, TooManyStreams

_log = structlog.stdlib.get_logger("fusionx.events")

# Application close codes: 4000 + the HTTP status the same refusal would get.
CLOSE_BAD_REQUEST = 4400
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_IDLE = 4408
CLOSE_AHEAD = 4409  # last_seq beyond the stream's head
CLOSE_TOO_MANY = 4429
# RFC 6455's own codes.
CLOSE_TOO_BIG = 1009
CLOSE_SERVER_ERROR = 1011
_CLOSE_CODES: tuple[tuple[type[DomainError], int], ...] = (
    (AuthenticationRequired, CLOSE_UNAUTHENTICATED),
    # A customer's credential: not one of the fleet's (``Authenticate``).
    (PermissionDenied, CLOSE_FORBIDDEN),
    (NotFound, CLOSE_NOT_FOUND),
    (InvalidInput, CLOSE_BAD_REQUEST),
    (Conflict, CLOSE_AHEAD),
)


@dataclass(frozen=True)
class EventStreamTiming:
    """Seconds between server pings, and allowed for the first-message auth."""

    ping_interval: float = 20.0
    auth_timeout: float = 10.0


# Tests (or a deployment) put an ``EventStreamTiming`` in ``app.state`` under this key.
TIMING_STATE_KEY = "fusionx.event_stream_timing"

# Text frames are sent as str: Litestar would decode bytes again for every client.
_PING = msgspec.json.encode(Ping()).decode()
_client_messages: msgspec.json.Decoder[ClientMessage] = msgspec.json.Decoder(ClientMessage)


class ShiftEventsController(Controller):
    path = "/api/v1/shifts/{shift_id:uuid}/events"
    tags = ("events",)

    @websocket(name="followShiftEvents")
    async def follow(
        self,
        socket: WebSocket[Any, Any, Any],
        shift_id: FromPath[UUID],
        adapters: AppAdapters,
        follow_shift_events: UseCase[FollowShiftEvents],
    ) -> None:
        """The events of a shift, in order, each exactly once, then live.

        Query ``last_seq`` (default 0): the last seq the client holds; it gets every
        event after it, across reconnects with no gap and no repeat.

        Authentication: ``Authorization: Bearer <token>`` on the upgrade request, or,
        for browsers, no header and ``{"type": "auth", "token": "<token>"}`` as the
        first message within 10 s. Tokens never go in the URL.

        Every connection is accepted, then refusals close it with a code a browser
        can read: 4400 bad ``last_seq``, 4401 missing, unknown, expired or revoked
        credential (a revocation or expiry closes open streams at once, on every
        worker), 4404 shift unknown or outside the caller's trucks, 4408 client silent
        for two ping intervals, 4409 ``last_seq`` beyond the stream's last event (the
        events the client holds are not this stream's: drop them, reconnect from 0),
        4429 too many open streams for this credential, 1009 a client message over
        the size limit; 1011 when the server fails (reconnect with ``last_seq``, with
        backoff).

        Server to client, one JSON text frame each: an event
        ``{"shift_id", "seq", "type", "at", "data"}`` or ``{"type": "ping"}`` every
        20 s. Client to server: ``{"type": "pong"}``; any message counts as a sign
        of life.
        """
        await serve_shift_events(socket, shift_id, adapters, follow_shift_events)


async def serve_shift_events(
    socket: WebSocket[Any, Any, Any],
    shift_id: UUID,
    adapters: Adapters,
    follow: FollowShiftEvents,
    *,
    exchange: Callable[[str], str] | None = None,
) -> None:
    """Serve one connection of a shift's event stream, as ``followShiftEvents`` documents.

    ``exchange`` turns the first message's token into the bearer secret (raising
    ``AuthenticationRequired`` to refuse it): the kitchen board page sends its CSRF token
    there and the secret comes from its cookie (``web/controllers/kitchen_board.py``).
    """
    timing = socket.app.state.get(TIMING_STATE_KEY) or EventStreamTiming()
    limits: StreamLimits = socket.app.state[LIMITS_STATE_KEY]
    with metrics().stream_connections.track_inprogress():
        await _EventStream(socket, adapters, follow, timing, limits, exchange=exchange).run(
            shift_id
        )


class _Close(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class _EventStream:
    """One client connection: authenticate, then send events while watching liveness."""

    def __init__(
        self,
        socket: WebSocket[Any, Any, Any],
        adapters: Adapters,
        follow: FollowShiftEvents,
        timing: EventStreamTiming,
        limits: StreamLimits,
        *,
        exchange: Callable[[str], str] | None = None,
    ) -> None:
        self._exchange = exchange
        self._socket = socket
        self._adapters = adapters
        self._timing = timing
        self._limits = limits
        self._follow = follow
        self._heard = 0.0

    async def run(self, shift_id: UUID) -> None:
        await self._socket.accept()
        principal: Principal | None = None
        try:
            last_seq = _last_seq(self._socket.query_params.get("last_seq", "0"))
            secret = await self._credential()
            principal = await self._authenticate(secret)
            with self._limits.admit(principal.token_id):
                await self._serve(secret, principal, shift_id, last_seq)
        except WebSocketDisconnect:
            return
        except _Close as close:
            await self._close(close.code, close.reason)
        except TooManyStreams as refused:
            await self._close(CLOSE_TOO_MANY, str(refused))
        except DomainError as error:
            codes = (code for kind, code in _CLOSE_CODES if isinstance(error, kind))
            translator = self._adapters.translator
            operator = (
                principal if isinstance(principal, StaffPrincipal | DevicePrincipal) else None
            )
            locale = request_locale(translator, operator, self._socket.headers)
            reason = say(translator, error.detail, locale)
            await self._close(next(codes, CLOSE_SERVER_ERROR), reason)
        except Exception:  # noqa: BLE001 - every failure must reach the client as a close code
            # E.g. the database went away mid-catch-up: the client reconnects with last_seq.
            _log.exception("event stream failed")
            await self._close(CLOSE_SERVER_ERROR, "Server error: reconnect with last_seq")

    async def _credential(self) -> str:
        header = self._socket.headers.get("authorization")
        if header is not None and self._exchange is None:
            secret = bearer_secret(header)
            if secret is None:
                raise _Close(CLOSE_UNAUTHENTICATED, "Authorization must be: Bearer <token>")
            return secret
        try:
            async with asyncio.timeout(self._timing.auth_timeout):
                first = await self._receive()
        except TimeoutError:
            raise _Close(CLOSE_UNAUTHENTICATED, "No auth message in time") from None
        try:
            message = _client_messages.decode(first)
        except msgspec.DecodeError:
            message = None
        if not isinstance(message, Auth) or not message.token:
            raise _Close(CLOSE_UNAUTHENTICATED, 'The first message must be {"type": "auth", …}')
        return message.token if self._exchange is None else self._exchange(message.token)

    async def _authenticate(self, secret: str) -> Principal:
        # Built anew for each check: a unit of work serves one read.
        return await use_cases.authenticate(self._adapters).execute(secret)

    async def _receive(self) -> str:
        message = await self._socket.receive_data("text")
        limit = self._limits.max_message_bytes
        if len(message) > limit or len(message.encode()) > limit:
            raise _Close(CLOSE_TOO_BIG, f"Messages to the server are at most {limit} bytes")
        return message

    async def _serve(self, secret: str, principal: Principal, shift_id: UUID, after: int) -> None:
        """Run the four loops until one ends; its outcome is the connection's."""
        self._heard = asyncio.get_running_loop().time()
        tasks = [
            asyncio.create_task(self._send_events(self._follow.stream(principal, shift_id, after))),
            asyncio.create_task(self._hear_client()),
            asyncio.create_task(self._keep_alive(secret, shift_id)),
            asyncio.create_task(self._guard_credential(secret, principal, shift_id)),
        ]
        try:
            done, _pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for task in done:
            task.result()

    async def _send_events(self, events: AsyncIterator[ShiftEvent]) -> None:
        # Only this connection waits on a slow socket: the hub drops its buffer and the
        # use case refills from the log, so publishers and other clients never wait.
        clock, opened_at = self._adapters.clock, self._adapters.clock.now()
        sent, send = metrics().event_sent, self._send
        async for event in events:
            await send(_encoded(event))
            sent(event.at, opened_at, clock.now())

    async def _hear_client(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._receive()  # WebSocketDisconnect ends the stream
            self._heard = loop.time()

    async def _keep_alive(self, secret: str, shift_id: UUID) -> None:
        loop, interval = asyncio.get_running_loop(), self._timing.ping_interval
        # Each connection pings in its own phase: a fleet of tablets that connected
        # together (after a restart, say) would otherwise be re-checked all at once. The
        # phase is spread over the second half of the interval, so no stream pings in its
        # first half: a client (or a test) that connects and listens briefly hears events only.
        ping_at = loop.time() + random.uniform(interval / 2, interval)  # noqa: S311 - spread
        while True:
            silent_until = self._heard + 2 * interval
            await asyncio.sleep(min(ping_at, silent_until) - loop.time())
            if loop.time() >= self._heard + 2 * interval:
                raise _Close(CLOSE_IDLE, "No message from the client for two ping intervals")
            if loop.time() >= ping_at:
                # A long-lived stream honours revocation and reassignment like a request does.
                await self._follow.authorize(await self._authenticate(secret), shift_id)
                await self._send(_PING)
                ping_at = loop.time() + interval

    async def _guard_credential(self, secret: str, principal: Principal, shift_id: UUID) -> None:
        """Check the credential again the moment it may have been revoked (the bus says
        so, from any worker or instance) or has expired: a refusal ends the stream."""
        clock = self._adapters.clock
        async with self._adapters.bus.watch_credential(principal.token_id) as watch:
            while True:
                expires_at = principal.token_expires_at
                left = None if expires_at is None else (expires_at - clock.now()).total_seconds()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(watch.next(), None if left is None else max(left, 0))
                principal = await self._authenticate(secret)
                await self._follow.authorize(principal, shift_id)

    async def _send(self, payload: str) -> None:
        # Events and pings are sent by two tasks of this connection, one frame at a time:
        # the per-connection lock of ``StreamDrainMiddleware``, which wraps the whole app
        # and must order its own close frame with them, serializes them (one lock a send).
        await self._socket.send_data(payload, mode="text")

    async def _close(self, code: int, reason: str) -> None:
        _log.info("event stream closed", code=code, reason=reason)
        with contextlib.suppress(WebSocketDisconnect):
            # A close frame holds 123 bytes of reason: cut on a character boundary.
            cut = reason.encode()[:120].decode(errors="ignore")
            await self._socket.close(code, cut)


def _last_seq(raw: str) -> int:
    if raw.isascii() and raw.isdigit() and len(raw) <= 18:
        return int(raw)
    raise _Close(CLOSE_BAD_REQUEST, "last_seq must be a whole number, 0 or more")


_encoder = msgspec.json.Encoder()
_recent: dict[int, tuple[ShiftEvent, str]] = {}
_RECENT_MAX = 256


def _encoded(event: ShiftEvent) -> str:
    """The wire form of ``event``, encoded once for all the clients it fans out to.

    The hub hands every subscriber the same object, so it is cached by identity; the
    entry keeps the event alive, so an id is never reused while cached.
    """
    cached = _recent.get(id(event))
    if cached is not None and cached[0] is event:
        return cached[1]
    payload = _encoder.encode(EventMessage.of(event)).decode()
    if len(_recent) >= _RECENT_MAX:
        del _recent[next(iter(_recent))]
    _recent[id(event)] = (event, payload)
    return payload
