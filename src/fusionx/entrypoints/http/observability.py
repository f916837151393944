"""What ``/metrics`` and tracing add to the app: route middleware, a route, app state."""

from __future__ import annotations

import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    ControllerRouterHandler,
    Message,
    Middleware,
    Receive,
    Scope,
    Send,
)

from fusionx.adapters.observability.metrics import Metrics, metrics
from fusionx.entrypoints.http.controllers.metrics import TOKEN_STATE_KEY, MetricsController
from fusionx.entrypoints.observability_settings import ObservabilitySettings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider


@dataclass(frozen=True)
class Observability:
    middleware: list[Middleware] = field(default_factory=list)
    route_handlers: list[ControllerRouterHandler] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    on_shutdown: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


def observability(
    settings: ObservabilitySettings, tracer_provider: TracerProvider | None = None
) -> Observability:
    """The app's share of ``settings``; ``tracer_provider`` when tracing is on."""
    wired = Observability()
    if tracer_provider is not None:
        from fusionx.entrypoints.tracing import http_tracing  # noqa: PLC0415

        # Outermost: a request's span holds its metrics' and handler's work.
        wired.middleware.extend(http_tracing(tracer_provider))

        async def flush_spans() -> None:
            tracer_provider.shutdown()

        wired.on_shutdown.append(flush_spans)
    if settings.metrics:
        figures = metrics()  # made before the first request's, so they share its choices
        wired.middleware.append(_request_metrics(figures))
        wired.route_handlers.append(MetricsController)
        wired.state[TOKEN_STATE_KEY] = settings.metrics_token
    return wired


# Litestar imports its OpenTelemetry plugin whenever it can, to look for the plugin's
# middleware among an app's, and the plugin imports OpenTelemetry's ASGI instrumentation
# (wrapt, the semantic conventions): 1.8 MB and 72 modules in every worker for an app
# that is not traced (docs/benchmarks.md, eighth pass).
_LITESTAR_TRACING_PLUGIN = "litestar.plugins.opentelemetry"


@contextmanager
def untraced_app_building(tracer_provider: TracerProvider | None) -> Iterator[None]:
    """Around building the app: when it is not traced, Litestar finds its tracing plugin
    missing, as it would were OpenTelemetry's instrumentation not installed, and looks no
    further. Once the app is built the plugin can be imported again (tracing turned on
    for another app in the same process)."""
    if tracer_provider is not None or _LITESTAR_TRACING_PLUGIN in sys.modules:
        yield
        return
    sys.modules[_LITESTAR_TRACING_PLUGIN] = None  # type: ignore[assignment]  # import refused
    try:
        yield
    finally:
        if sys.modules.get(_LITESTAR_TRACING_PLUGIN, ...) is None:
            del sys.modules[_LITESTAR_TRACING_PLUGIN]


def _request_metrics(figures: Metrics) -> Middleware:
    def build(app: ASGIApp) -> ASGIApp:
        return RequestMetricsMiddleware(app, figures)

    return build


class RequestMetricsMiddleware:
    """Count and time each request by route template (never the ids in a path) and
    status: the series Litestar's Prometheus middleware kept, for a few calls a request.

    Litestar's made a ``Request``, a label dict and four labelled children per request,
    and wrote each figure at once (a locked write to a mapped file with several workers);
    here the children are looked up once per route and status, and the figures are added
    up in the worker and written once a second (``HotFigures``). Runs after routing, as
    route middleware, so ``path_template`` is known; like Litestar's, a request whose
    handler raised before answering counts as 200, and its time ends at its last body.
    """

    def __init__(self, app: ASGIApp, figures: Metrics) -> None:
        self._app = app
        self._figures = figures

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return
        method, path = scope["method"], scope["path_template"]
        started = time.perf_counter()
        status, ended = 200, started

        async def send_timed(message: Message) -> None:
            nonlocal status, ended
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                ended = time.perf_counter()
            await send(message)

        self._figures.request_started(method, path)
        try:
            await self._app(scope, receive, send_timed)
        finally:
            self._figures.request_ended(method, path, status, ended - started)
