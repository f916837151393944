"""Switching OpenTelemetry tracing on, when configured (``ObservabilitySettings``).

One tracer provider per process (each granian worker makes its own), exporting in
batches over OTLP/HTTP or OTLP/gRPC. HTTP requests are spans by Litestar's
OpenTelemetry middleware (``http_tracing``), SQL statements by SQLAlchemy's
instrumentation, outbound calls to APNs, the SMS provider and any other httpx client by
httpx's, and event publication by ``TracedEventBus``. Every log line written inside a
span carries its ``trace_id`` and ``span_id`` (``logging.add_trace_ids``).
"""

from __future__ import annotations

from collections.abc import Mapping

from litestar.enums import ScopeType
from litestar.plugins.opentelemetry import OpenTelemetryConfig
from litestar.types import ASGIApp, Middleware, Receive, Scope, Send
from opentelemetry import trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.semconv.attributes.http_attributes import HTTP_ROUTE

from fusionx.entrypoints.observability_settings import (
    ObservabilitySettings,
    OtlpProtocol,
    tracing_wanted,
)

# Probes and scrapes would be most of the spans and tell nothing.
_UNTRACED_PATHS = ["^/metrics", "^/health/"]


def configure_tracing(
    settings: ObservabilitySettings, environ: Mapping[str, str] | None = None
) -> TracerProvider | None:
    """Install tracing if an OTLP endpoint is configured; None (and nothing done) if not."""
    if not tracing_wanted(settings, environ):
        return None
    return install_tracing(settings, BatchSpanProcessor(span_exporter(settings)))


def install_tracing(settings: ObservabilitySettings, processor: SpanProcessor) -> TracerProvider:
    """Make ``processor`` receive this process's spans (tests pass an in-memory one)."""
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: settings.otel_service_name}),
        sampler=ParentBased(TraceIdRatioBased(settings.otel_sample_ratio)),
    )
    # Imported here: a worker without tracing loads neither (nor httpx, for its part).
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor  # noqa: PLC0415
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor  # noqa: PLC0415

    provider.add_span_processor(processor)
    trace.set_tracer_provider(provider)
    if not SQLAlchemyInstrumentor().is_instrumented_by_opentelemetry:
        # Its declared range stops below SQLAlchemy 2.1, whose engine events it uses
        # unchanged (tests/observability/test_tracing.py holds it to that).
        SQLAlchemyInstrumentor().instrument(tracer_provider=provider, skip_dep_check=True)
    if not HTTPXClientInstrumentor().is_instrumented_by_opentelemetry:
        HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    return provider


def http_tracing(provider: TracerProvider) -> list[Middleware]:
    """Litestar's middleware, a server span per HTTP request (it wraps the whole app, so
    404s are spans too), and ours, which names the span by its route template."""
    config = OpenTelemetryConfig(
        tracer_provider=provider,
        scopes={ScopeType.HTTP},
        exclude=_UNTRACED_PATHS,
        # A span per ASGI message, named by the raw path, says nothing the server's does.
        exclude_spans=["receive", "send"],
    )
    return [config.middleware, name_span_by_route]


def name_span_by_route(app: ASGIApp) -> ASGIApp:
    """Once a route matched: the span is "POST /api/v1/shifts/{shift_id}/orders", not
    one name per shift (the span starts before routing, when only the path is known)."""

    async def named(scope: Scope, receive: Receive, send: Send) -> None:
        route = scope.get("path_template")
        span = trace.get_current_span()
        if route and span.is_recording():
            span.update_name(f"{scope.get('method', '')} {route}".strip())
            span.set_attribute(HTTP_ROUTE, route)
        await app(scope, receive, send)

    return named


def span_exporter(settings: ObservabilitySettings) -> SpanExporter:
    # Without an endpoint of ours, the exporters read the standard OTEL_EXPORTER_OTLP_*.
    endpoint = settings.otel_endpoint
    if settings.otel_protocol is OtlpProtocol.GRPC:
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import (  # noqa: PLC0415
            OTLPSpanExporter as GrpcExporter,
        )

        return GrpcExporter(endpoint=endpoint)
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # noqa: PLC0415
        OTLPSpanExporter as HttpExporter,
    )

    # Like OTEL_EXPORTER_OTLP_ENDPOINT, ours is the collector's base URL.
    return HttpExporter(endpoint=endpoint.rstrip("/") + "/v1/traces" if endpoint else None)
