"""Outbound calls to providers: each is a client span in the caller's trace, and each
attempt's outcome is counted per channel."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from prometheus_client import REGISTRY

from fusionx.adapters.observability.metered_senders import MeteredSmsSender
from fusionx.adapters.observability.metrics import metrics
from fusionx.adapters.sms.twilio import TwilioSmsSender
from fusionx.ports.sms_sender import SmsOutcome
from tests.observability.tracing import tracing_to
from tests.support.sms_server import FakeTwilio, SmsServer

SID = "AC" + "1" * 32


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    with tracing_to(SimpleSpanProcessor(exporter)):
        yield exporter


def _accepted() -> float:
    metrics()
    value = REGISTRY.get_sample_value(
        "fusionx_notifications_total", {"channel": "sms", "outcome": "accepted"}
    )
    return value or 0.0


async def test_a_text_sent_is_a_client_span_of_the_dispatch_and_is_counted(
    spans: InMemorySpanExporter,
) -> None:
    before = _accepted()
    with SmsServer(FakeTwilio(account_sid=SID, auth_token="sms-secret")) as server:
        twilio = TwilioSmsSender(
            base_url=server.url, account_sid=SID, auth_token="sms-secret",
            sender="+15005550006", status_callback_url="",
        )  # fmt: skip
        sender = MeteredSmsSender(twilio)
        try:
            tracer = trace.get_tracer("test")
            with tracer.start_as_current_span("dispatch notifications") as parent:
                result = await sender.send("+447700900123", "New order #3")
        finally:
            await twilio.close()
    assert result.outcome is SmsOutcome.ACCEPTED
    assert _accepted() - before == 1
    (call,) = [s for s in spans.get_finished_spans() if s.kind is SpanKind.CLIENT]
    assert call.context.trace_id == parent.get_span_context().trace_id
    url = str((call.attributes or {}).get("url.full") or (call.attributes or {}).get("http.url"))
    assert url.endswith(f"/Accounts/{SID}/Messages.json")
