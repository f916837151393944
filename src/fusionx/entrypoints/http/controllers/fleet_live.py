"""``/api/v1/fleet/live``: the owners' live fleet view, and its stream of changes.

The stream is Server-Sent Events, not a WebSocket beside the shift stream: it only
pushes (an owner's dashboard has nothing to say back), so the one-way protocol is
enough; it is an ordinary GET, authenticated by the ``Authorization`` header through the
same guard as the snapshot, so a refusal is the same problem+json (401, 403) before any
byte of the stream and the access table covers it like any route; and it passes through
proxies and HTTP/2 as any response does. A client reconnects with ``Last-Event-ID`` (the
``version`` it holds) and gets the whole view again unless it is still current.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
import structlog
from litestar import Controller, Request, get
from litestar.exceptions import TooManyRequestsException
from litestar.params import HeaderParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from fusionx.core.errors import DomainError
from fusionx.core.model.fleet_live import LiveMessage, LiveSnapshot
from fusionx.core.model.principals import Principal
from fusionx.core.use_cases.queries.follow_fleet_live import FollowFleetLive
from fusionx.core.use_cases.queries.view_fleet_live import ViewFleetLive
from fusionx.entrypoints import use_cases
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.auth import CurrentPrincipal, bearer_secret
from fusionx.entrypoints.http.dependencies import AppAdapters, UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.schemas.fleet_live import FleetLiveView, LiveChangeView
from fusionx.entrypoints.http.stream_limits import LIMITS_STATE_KEY, StreamLimits, TooManyStreams
from fusionx.entrypoints.shutdown import Drain
from fusionx.ports.errors import StorageUnavailable

_log = structlog.stdlib.get_logger("fusionx.events")

HeldVersion = Annotated[
    str | None,
    HeaderParameter(
        name="Last-Event-ID",
        max_length=64,
        description="The version of the view the client holds: not sent again if current",
    ),
]
# Tells a browser's EventSource how long to wait before it reconnects, in ms.
RECONNECT_MS = 3000
SNAPSHOT_EVENT = "snapshot"


@dataclass(frozen=True)
class LiveStreamTiming:
    """Seconds: a quiet stream says it is alive every ``keep_alive`` (proxies close idle
    connections after 30 to 60 s) and looks whether its worker drains every
    ``drain_check``; it ends after ``lifetime``, so that after a scale-out or a restart
    the dashboards spread over the instances again (the client reconnects with the
    version it holds and is sent nothing new)."""

    keep_alive: float = 15.0
    drain_check: float = 5.0
    lifetime: float = 30 * 60.0


# Tests (or a deployment) put a ``LiveStreamTiming`` in ``app.state`` under this key.
LIVE_TIMING_STATE_KEY = "fusionx.live_stream_timing"


def sse_message(message: LiveMessage) -> ServerSentEventMessage:
    """A snapshot as a ``snapshot`` event, a change as an event named by its kind; each
    with the view's version as its id, so a reconnect says what the client holds."""
    if isinstance(message, LiveSnapshot):
        view = FleetLiveView.of(message.view)
        event, version, data = SNAPSHOT_EVENT, view.version, msgspec.json.encode(view)
    else:
        change = LiveChangeView.of(message)
        event, version, data = change.kind.value, change.version, msgspec.json.encode(change)
    return ServerSentEventMessage(id=version, event=event, data=data.decode(), retry=RECONNECT_MS)


async def messages(
    live: AsyncGenerator[LiveMessage, None], drain: Drain, timing: LiveStreamTiming
) -> AsyncIterator[ServerSentEventMessage]:
    """The stream's messages; a comment after ``keep_alive`` seconds without one; the end
    once the worker drains (the client reconnects to another), its lifetime is over, or
    its reader is refused (revoked, expired, demoted: the reconnect gets the refusal)."""
    loop = asyncio.get_running_loop()
    ends_at = loop.time() + timing.lifetime
    pending: asyncio.Future[LiveMessage] | None = None
    quiet = 0.0
    try:
        while not drain.draining and loop.time() < ends_at:
            pending = pending or asyncio.ensure_future(anext(live))
            wait = min(timing.drain_check, ends_at - loop.time())
            done, _ = await asyncio.wait({pending}, timeout=wait)
            if not done:
                quiet += wait
                if quiet >= timing.keep_alive:
                    quiet = 0.0
                    yield ServerSentEventMessage(comment="keep-alive")
                continue
            quiet, sent, pending = 0.0, pending, None
            try:
                message = sent.result()
            except (StopAsyncIteration, DomainError, StorageUnavailable) as ended:
                # Refused, or the database went away: the client reconnects with backoff.
                _log.info("fleet live stream ended", reason=type(ended).__name__)
                return
            yield sse_message(message)
    finally:
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(
                asyncio.CancelledError, StopAsyncIteration, DomainError, StorageUnavailable
            ):
                await pending
        await live.aclose()


async def _admitted(
    live: AsyncGenerator[LiveMessage, None], limits: StreamLimits, principal: Principal
) -> AsyncGenerator[LiveMessage, None]:
    """``live``, holding one of the credential's streams of this worker while it lasts."""
    try:
        with limits.admit(principal.token_id):
            async for message in live:
                yield message
    except TooManyStreams:  # lost a race for the last one: the client backs off
        return
    finally:
        await live.aclose()


class FleetLiveController(Controller):
    """Owners and admins watch every truck, managers their own; crew and devices 403."""

    path = "/api/v1/fleet/live"
    tags = ("fleet",)
    security = BEARER

    @get(
        operation_id="viewFleetLive",
        summary="The fleet now: open shifts, orders of the last hour, waits, devices offline",
        responses=problem_responses(401, 403),
    )
    async def show(
        self, principal: CurrentPrincipal, view_fleet_live: UseCase[ViewFleetLive]
    ) -> FleetLiveView:
        return FleetLiveView.of(await view_fleet_live.execute(principal))

    @get(
        "/events",
        operation_id="followFleetLive",
        summary="The fleet live, as Server-Sent Events: the view, then each truck's changes",
        media_type="text/event-stream",
        responses=problem_responses(400, 401, 403, 429),
    )
    async def events(
        self,
        request: Request[Any, Any, Any],
        principal: CurrentPrincipal,
        follow_fleet_live: UseCase[FollowFleetLive],
        adapters: AppAdapters,
        last_event_id: HeldVersion = None,
    ) -> ServerSentEvent:
        """First a ``snapshot`` event (the answer of ``viewFleetLive``), unless
        ``Last-Event-ID`` is its version already; then one event per change of a truck,
        named by its kind: ``shift.opened``, ``shift.changed``, ``shift.closed``,
        ``orders.changed``, ``device.offline``, ``device.online``, ``truck.added``,
        ``truck.removed`` (data: ``LiveChangeView``). Every event's id is the version of
        the view once it is applied. A comment every 15 s keeps a quiet stream open. The
        stream ends after 30 minutes, when the worker shuts down, or when the credential
        is revoked or expires or the caller may no longer watch (checked at once on a
        revocation, and every 15 s): reconnect, with backoff, and ``Last-Event-ID``.
        """
        limits: StreamLimits = request.app.state[LIMITS_STATE_KEY]
        timing = request.app.state.get(LIVE_TIMING_STATE_KEY) or LiveStreamTiming()
        if limits.open_streams(principal.token_id) >= limits.connections_per_credential:
            raise TooManyRequestsException
        live = follow_fleet_live.open(
            principal, _recheck(adapters, request.headers.get("authorization")), last_event_id
        )
        return ServerSentEvent(
            messages(_admitted(live, limits, principal), adapters.drain, timing),
            headers={"Cache-Control": "no-store"},
        )


def _recheck(adapters: Adapters, authorization: str | None) -> Any:
    secret = bearer_secret(authorization) or ""

    async def recheck() -> Principal:
        return await use_cases.authenticate(adapters).execute(secret)

    return recheck
