"""Request ids and the access log, as a pure ASGI middleware.

It wraps the whole application, outside Litestar's router, so that requests no route
matches (404, 405) get an id and a log line too. It never buffers or reads bodies and
never logs headers.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from fusionx.adapters.observability.tracing import trace_id_of_current_span

REQUEST_ID_HEADER = "x-request-id"
_STATE_KEY = "fusionx.request_id"
# What we accept from a client or proxy: short and harmless in logs and headers.
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")

_log = structlog.stdlib.get_logger("fusionx.http")
_access = logging.getLogger("fusionx.http")


def request_id_of(scope: Any) -> str:
    """The id the middleware gave this request ('' outside the middleware)."""
    return str(scope.get("state", {}).get(_STATE_KEY, ""))


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER.encode():
            candidate = value.decode("latin-1")
            return candidate if _SANE_ID.fullmatch(candidate) else None
    return None


class RequestContextMiddleware:
    """Give each HTTP request and WebSocket session an id, echo it, bind it to every log
    line, log the outcome (with the request's trace id, when it is traced)."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.WEBSOCKET:
            await self._session(scope, receive, send)
            return
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})[_STATE_KEY] = request_id
        header = (REQUEST_ID_HEADER.encode(), request_id.encode())
        status = 500  # what the client sees if the app fails before answering
        trace_id: str | None = None

        async def send_with_id(message: Message) -> None:
            nonlocal status, trace_id
            if message["type"] == "http.response.start":
                status = message["status"]
                # Sent from inside the request's span, which has ended by the last line.
                trace_id = trace_id_of_current_span()
                message = {**message, "headers": [*message.get("headers", ()), header]}
            await send(message)

        started = time.perf_counter()
        # Bound, then reset by token: what `bound_contextvars` does, without the copy of
        # the whole context it takes first to save values the request's own reset restores.
        bound = structlog.contextvars.bind_contextvars(
            request_id=request_id, method=scope["method"], path=scope["path"]
        )
        try:
            await self._app(scope, receive, send_with_id)
        finally:
            # What the first processor (filter_by_level) would decide, asked before a
            # line is built: with the level above INFO, the access line costs nothing.
            if _access.isEnabledFor(logging.INFO):
                duration_ms = round((time.perf_counter() - started) * 1000, 3)
                extra = {"trace_id": trace_id} if trace_id else {}
                _log.info("request", status=status, duration_ms=duration_ms, **extra)
            structlog.contextvars.reset_contextvars(**bound)

    async def _session(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A WebSocket session: its id in every line it logs, and a line when it ends."""
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})[_STATE_KEY] = request_id
        started = time.perf_counter()
        with structlog.contextvars.bound_contextvars(request_id=request_id, path=scope["path"]):
            _log.info("websocket_opened")
            try:
                await self._app(scope, receive, send)
            finally:
                duration_s = round(time.perf_counter() - started, 3)
                _log.info("websocket_ended", duration_s=duration_s)
