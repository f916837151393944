"""The exporters ``configure_tracing`` builds reach a collector: OTLP/HTTP at the base URL
given (``/v1/traces`` appended, as for ``OTEL_EXPORTER_OTLP_ENDPOINT``) and OTLP/gRPC."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent import futures

import grpc
import pytest
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from fusionx.entrypoints.observability_settings import ObservabilitySettings, OtlpProtocol
from fusionx.entrypoints.tracing import span_exporter
from tests.support.otlp_receiver import Received, otlp_receiver


def _send_one_span(settings: ObservabilitySettings) -> None:
    provider = TracerProvider(resource=Resource.create({"service.name": "exporter-test"}))
    provider.add_span_processor(SimpleSpanProcessor(span_exporter(settings)))
    with provider.get_tracer("test").start_as_current_span("a span"):
        pass
    provider.shutdown()


def test_otlp_http_reaches_the_receiver_at_the_base_url() -> None:
    with otlp_receiver() as (endpoint, received):
        _send_one_span(ObservabilitySettings(otel_endpoint=endpoint + "/"))
        assert [(s.service, s.name) for s in received.snapshot()] == [("exporter-test", "a span")]


def test_the_standard_otlp_variables_are_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    with otlp_receiver() as (endpoint, received):
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
        _send_one_span(ObservabilitySettings())
        assert [s.name for s in received.snapshot()] == ["a span"]


class _Collector(trace_service_pb2_grpc.TraceServiceServicer):
    def __init__(self) -> None:
        self.received = Received()

    def Export(  # noqa: N802 - the generated service's name
        self, request: trace_service_pb2.ExportTraceServiceRequest, _context: object
    ) -> trace_service_pb2.ExportTraceServiceResponse:
        self.received.add(request)
        return trace_service_pb2.ExportTraceServiceResponse()


@pytest.fixture
def grpc_collector() -> Iterator[tuple[str, _Collector]]:
    collector = _Collector()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(collector, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield f"http://127.0.0.1:{port}", collector
    server.stop(grace=None)


def test_otlp_grpc_reaches_the_collector(grpc_collector: tuple[str, _Collector]) -> None:
    endpoint, collector = grpc_collector
    _send_one_span(ObservabilitySettings(otel_endpoint=endpoint, otel_protocol=OtlpProtocol.GRPC))
    deadline = time.monotonic() + 10
    while not collector.received.snapshot() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [s.name for s in collector.received.snapshot()] == ["a span"]
