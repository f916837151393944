"""OpenTelemetry spans of our own making: event publication. HTTP, SQL and outbound
httpx spans (APNs, SMS) come from their instrumentations (``entrypoints.tracing``
switches them on)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractAsyncContextManager
from uuid import UUID

from opentelemetry import trace
from opentelemetry.trace import ProxyTracerProvider, SpanKind

from fusionx.core.model.events import ShiftEvent
from fusionx.ports.event_bus import CredentialWatch, EventBus, EventFeed

_tracer = trace.get_tracer("fusionx")


def tracing_on() -> bool:
    """Whether a tracer provider was installed (``entrypoints.tracing``)."""
    return not isinstance(trace.get_tracer_provider(), ProxyTracerProvider)


def trace_id_of_current_span() -> str | None:
    """The current span's trace id in hex, or None outside a recorded span."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


class TracedEventBus:
    """An ``EventBus`` whose publications are spans (one per batch a commit publishes)."""

    def __init__(self, inner: EventBus) -> None:
        self._inner = inner

    def subscribe(self, shift_id: UUID) -> AbstractAsyncContextManager[EventFeed]:
        return self._inner.subscribe(shift_id)

    def subscribe_fleet(self) -> AbstractAsyncContextManager[EventFeed]:
        return self._inner.subscribe_fleet()

    async def publish(self, events: Sequence[ShiftEvent]) -> None:
        with _tracer.start_as_current_span("publish shift events", kind=SpanKind.PRODUCER) as span:
            if events:
                span.set_attribute("fusionx.shift_id", str(events[0].shift_id))
                span.set_attribute("fusionx.event_types", [str(event.type) for event in events])
                span.set_attribute("fusionx.event_seqs", [event.seq for event in events])
            await self._inner.publish(events)

    def watch_credential(self, token_id: UUID) -> AbstractAsyncContextManager[CredentialWatch]:
        return self._inner.watch_credential(token_id)

    async def revoked(self, token_ids: Collection[UUID]) -> None:
        await self._inner.revoked(token_ids)
