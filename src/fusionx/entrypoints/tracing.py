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
from opentelemetry import trace
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

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
    return install_tracing(settings, BatchSpanProcessor(_exporter(settings)))


def install_tracing(settings: ObservabilitySettings, processor: SpanProcessor) -> TracerProvider:
    """Make ``processor`` receive this process's spans (tests pass an in-memory one)."""
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: settings.otel_service_name}),
        sampler=ParentBased(TraceIdRatioBased(settings.otel_sample_ratio)),
    )
    provider.add_span_processor(processor)
    trace.set_tracer_provider(provider)
    if not SQLAlchemyInstrumentor().is_instrumented_by_opentelemetry:
        SQLAlchemyInstrumentor().instrument(tracer_provider=provider)
    if not HTTPXClientInstrumentor().is_instrumented_by_opentelemetry:
        HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    return provider


def http_tracing(provider: TracerProvider) -> OpenTelemetryConfig:
    """Litestar's middleware: a server span per HTTP request, named by route template."""
    return OpenTelemetryConfig(
        tracer_provider=provider, scopes={ScopeType.HTTP}, exclude=_UNTRACED_PATHS
    )


def _exporter(settings: ObservabilitySettings) -> SpanExporter:
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
