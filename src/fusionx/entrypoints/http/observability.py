"""What ``/metrics`` and tracing add to the app: route middleware, a route, app state."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from litestar.enums import ScopeType
from litestar.plugins.prometheus import PrometheusConfig
from litestar.types import ControllerRouterHandler, Middleware

from fusionx.adapters.observability.metrics import LATENCY_BUCKETS, PREFIX, metrics
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
        metrics()  # made before the first request's, so they share its choices
        wired.middleware.append(
            PrometheusConfig(
                app_name="fusionx",
                prefix=f"{PREFIX}_http",
                group_path=True,  # the route template, never the ids in a path
                buckets=list(LATENCY_BUCKETS),
                scopes={ScopeType.HTTP},
            ).middleware
        )
        wired.route_handlers.append(MetricsController)
        wired.state[TOKEN_STATE_KEY] = settings.metrics_token
    return wired
