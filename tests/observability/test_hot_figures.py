"""Hot-path figures are added up in the worker: what they write is what inc and observe write."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from prometheus_client import CollectorRegistry, generate_latest

from fusionx.adapters.observability.metrics import HOT_FLUSH_SECONDS, LAG_BUCKETS, Metrics

OPENED = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
# On a bound, between bounds, past the last, zero, negative (a clock step).
AMOUNTS = [*LAG_BUCKETS, 0.0007, 0.003, 0.3, 99.0, 0.0, -0.5]


def test_flushed_figures_are_those_written_one_by_one() -> None:
    buffered_registry, direct_registry = CollectorRegistry(), CollectorRegistry()
    buffered, direct = Metrics(buffered_registry), Metrics(direct_registry)
    for amount in AMOUNTS:
        at = OPENED + timedelta(seconds=10)
        buffered.event_sent(at, OPENED, at + timedelta(seconds=amount))
        direct.stream_events_sent.inc()
        direct.stream_lag.observe(max(amount, 0.0))
        buffered.pool_waited(amount)
        direct.db_pool_wait.observe(max(amount, 0.0))
        buffered.transaction_ended("commit", amount)
        direct.unit_of_work.labels("commit").observe(max(amount, 0.0))
        buffered.connection_taken()
        direct.db_connections_in_use.inc()
    buffered.transaction_ended("rollback", 0.02)
    direct.unit_of_work.labels("rollback").observe(0.02)
    buffered.connection_returned()
    direct.db_connections_in_use.dec()
    replay = OPENED - timedelta(seconds=5)
    buffered.event_sent(replay, OPENED, OPENED)  # before the stream opened: counted, no lag
    direct.stream_events_sent.inc()

    buffered.flush()

    assert _lines(buffered_registry) == _lines(direct_registry)


def test_without_an_event_loop_a_figure_is_written_at_once_and_once() -> None:
    registry = CollectorRegistry()
    figures = Metrics(registry)
    figures.event_sent(OPENED, OPENED, OPENED)
    figures.flush()
    assert registry.get_sample_value("fusionx_stream_events_sent_total") == 1


async def test_on_a_loop_figures_are_written_within_a_second() -> None:
    registry = CollectorRegistry()
    figures = Metrics(registry)
    for _ in range(3):
        figures.event_sent(OPENED, OPENED, OPENED)
    assert registry.get_sample_value("fusionx_stream_events_sent_total") == 0
    await asyncio.sleep(HOT_FLUSH_SECONDS + 0.2)
    assert registry.get_sample_value("fusionx_stream_events_sent_total") == 3
    assert registry.get_sample_value("fusionx_stream_lag_seconds_count") == 3


def _lines(registry: CollectorRegistry) -> list[str]:
    text = generate_latest(registry).decode()
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return sorted(line for line in lines if "_created" not in line)  # made at different times
