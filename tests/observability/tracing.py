"""Tracing switched on for one test, then off again, so that it leaves nothing behind:
OpenTelemetry's globals (the tracer provider, set once per process) and the SQLAlchemy
and httpx instrumentations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SpanProcessor
from opentelemetry.util._once import Once

from fusionx.entrypoints.observability_settings import ObservabilitySettings
from fusionx.entrypoints.tracing import install_tracing


@contextmanager
def tracing_to(processor: SpanProcessor) -> Iterator[TracerProvider]:
    provider = install_tracing(ObservabilitySettings(otel_service_name="fusionx-test"), processor)
    try:
        yield provider
    finally:
        provider.shutdown()
        SQLAlchemyInstrumentor().uninstrument()
        HTTPXClientInstrumentor().uninstrument()
        # What opentelemetry's own test utilities do to let a later test set a provider.
        trace._TRACER_PROVIDER_SET_ONCE = Once()
        trace._TRACER_PROVIDER = None
