"""Every Prometheus figure FusionX reports, in one place.

The metrics are made on first use (``metrics()``), not at import, on prometheus-client's
default registry. Under ``fusionx serve`` every worker writes its figures to files in
``PROMETHEUS_MULTIPROC_DIR`` (set before the workers start) and ``/metrics`` adds them
up across workers (``scrape``); in-process tests read the default registry.

HTTP requests are measured by Litestar's Prometheus middleware (``fusionx_http_*``, per
route template and status); the figures here are the service's own. What is a state
rather than an event (the outbox backlog, readiness) is read at scrape time.
"""

from __future__ import annotations

import asyncio
import bisect
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    values,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector

MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
PREFIX = "fusionx"
# Seconds: from a fast indexed read to a request stuck behind locks.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# A stream event normally reaches its clients within milliseconds of its commit.
LAG_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 15.0, 60.0)


class Metrics:
    """The service's figures. Labels are closed sets (channels, outcomes, job names)."""

    def __init__(self, registry: CollectorRegistry = REGISTRY) -> None:
        def name(suffix: str) -> str:
            return f"{PREFIX}_{suffix}"

        self.db_connections_in_use = Gauge(
            name("db_pool_connections_in_use"),
            "Database connections checked out of the pool",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.db_pool_capacity = Gauge(
            name("db_pool_connections_max"),
            "Connections the pool may hold (its size plus overflow)",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.db_pool_wait = Histogram(
            name("db_pool_wait_seconds"),
            "Time to get a connection from the pool (including opening a new one)",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.unit_of_work = Histogram(
            name("unit_of_work_seconds"),
            "Duration of database transactions (units of work that write), by outcome",
            ["outcome"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.notifications = Counter(
            name("notifications"),
            "Push and SMS send attempts, by channel and provider outcome",
            ["channel", "outcome"],
            registry=registry,
        )
        self.stream_connections = Gauge(
            name("stream_connections"),
            "Open event-stream WebSocket connections",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.stream_events_sent = Counter(
            name("stream_events_sent"), "Events sent on event streams", registry=registry
        )
        self.stream_lag = Histogram(
            name("stream_lag_seconds"),
            "From an event's commit to its sending, for events committed while the "
            "stream was open (a catch-up's replay is not lag)",
            buckets=LAG_BUCKETS,
            registry=registry,
        )
        self.idempotency = Counter(
            name("idempotency_outcomes"),
            "Requests with an Idempotency-Key answered from the store or refused: "
            "replayed, key_reused (conflict), in_flight (conflict)",
            ["outcome"],
            registry=registry,
        )
        self.sign_in_failures = Counter(
            name("sign_in_failures"),
            "Sign-ins refused for a wrong email or password",
            registry=registry,
        )
        self.sign_in_throttled = Counter(
            name("sign_in_throttled"), "Sign-ins refused by the throttle (429)", registry=registry
        )
        self.rate_limited = Counter(
            name("rate_limited"),
            "Requests refused by the public rate limit (429)",
            registry=registry,
        )
        self.background_runs = Counter(
            name("background_runs"),
            "Runs of background jobs, by task and outcome (ok, failed, storage_unavailable)",
            ["task", "outcome"],
            registry=registry,
        )

        # Per request, by route template and status: the series Litestar's Prometheus
        # middleware kept (same names, labels and buckets), now counted by ours
        # (``entrypoints/http/observability.py``) and added up like the pool's figures.
        http_labels = ["method", "path", "status_code", "app_name"]
        self.http_requests = Counter(
            name("http_requests_total"), "Total requests", http_labels, registry=registry
        )
        self.http_request_duration = Histogram(
            name("http_request_duration_seconds"),
            "Request duration, in seconds",
            http_labels,
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.http_requests_in_progress = Gauge(
            name("http_requests_in_progress"),
            "Total requests currently in progress",
            http_labels,
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.http_request_errors = Counter(
            name("http_requests_error_total"),
            "Total errors in requests",
            http_labels,
            registry=registry,
        )
        # Labelled children, looked up once per route and status (templates: a closed set).
        self._http_children: dict[tuple[str, str, int], tuple[Any, Any, Any]] = {}
        # The unit-of-work histogram's children by outcome (a closed set), as above.
        self._unit_children: dict[str, Histogram] = {}
        self._hot = HotFigures()

    def event_sent(self, committed_at: datetime, opened_at: datetime, now: datetime) -> None:
        """One event sent on a stream opened at ``opened_at``; its lag counts if it was
        committed while the stream was open (before, it is a catch-up's replay)."""
        if committed_at >= opened_at:
            self._hot.count_and_observe(
                self.stream_events_sent, self.stream_lag, (now - committed_at).total_seconds()
            )
        else:
            self._hot.add(self.stream_events_sent)

    def pool_waited(self, seconds: float) -> None:
        self._hot.observe(self.db_pool_wait, seconds)

    def connection_taken(self) -> None:
        self._hot.add(self.db_connections_in_use)

    def connection_returned(self) -> None:
        self._hot.add(self.db_connections_in_use, -1)

    def transaction_ended(self, outcome: str, seconds: float) -> None:
        child = self._unit_children.get(outcome)
        if child is None:
            child = self._unit_children[outcome] = self.unit_of_work.labels(outcome)
        self._hot.observe(child, seconds)

    def request_started(self, method: str, path: str) -> None:
        """A request to the route ``path`` (its template) began."""
        self._hot.add(self._http(method, path, 200)[2])

    def request_ended(self, method: str, path: str, status: int, seconds: float) -> None:
        """It answered ``status`` after ``seconds`` (to its last body message)."""
        # As Litestar's middleware did: the in-progress series is the one labelled 200.
        self._hot.add(self._http(method, path, 200)[2], -1)
        requests, duration, _ = self._http(method, path, status)
        self._hot.add(requests)
        self._hot.observe(duration, seconds)
        if status >= 500:
            self._hot.add(self.http_request_errors.labels(method, path, str(status), "fusionx"))

    def _http(self, method: str, path: str, status: int) -> tuple[Any, Any, Any]:
        key = (method, path, status)
        children = self._http_children.get(key)
        if children is None:
            labels = (method, path, str(status), "fusionx")
            children = (
                self.http_requests.labels(*labels),
                self.http_request_duration.labels(*labels),
                self.http_requests_in_progress.labels(*labels),
            )
            self._http_children[key] = children
        return children

    def flush(self) -> None:
        """Write what the worker has added up but not yet written (tests, shutdown)."""
        self._hot.flush()


HOT_FLUSH_SECONDS = 1.0


class HotFigures:
    """Figures of the hot paths, added up in the worker and written once a second.

    A figure shared by the workers is a value in a mapped file: each write takes a lock
    and writes the file. A stream event goes to every client of its shift (500 clients at
    20 events/s are 10,000 sends a second, each a count, a lag sum and a lag bucket), and
    every request takes and returns pool connections and ends transactions: written one
    by one, they were a tenth of a worker's time in a profile of the stream, and a twelfth
    of the calls of a cached feed. Added up here, a second is one write per value touched.
    What is written is what ``inc`` and ``observe`` would have written (tests/observability).
    """

    def __init__(self) -> None:
        self._pending: dict[Any, float] = {}  # a metric's value object: what to add to it
        self._due: asyncio.TimerHandle | None = None

    def add(self, counter_or_gauge: Counter | Gauge, amount: float = 1) -> None:
        self._add(counter_or_gauge._value, amount)

    def observe(self, histogram: Histogram, amount: float) -> None:
        # What `Histogram.observe` does: its sum, and the first bucket that holds the
        # amount (buckets are stored apart and added up when read).
        amount = max(amount, 0.0)
        bounds: list[float] = histogram._upper_bounds
        self._add(histogram._sum, amount)
        self._add(histogram._buckets[bisect.bisect_left(bounds, amount)], 1)

    def count_and_observe(
        self, counter: Counter | Gauge, histogram: Histogram, amount: float
    ) -> None:
        """``add(counter)`` and ``observe(histogram, amount)`` in one call: a stream event
        is both, for every client it reaches."""
        amount = max(amount, 0.0)
        bucket = histogram._buckets[bisect.bisect_left(histogram._upper_bounds, amount)]
        pending, one, total = self._pending, counter._value, histogram._sum
        pending[one] = pending.get(one, 0) + 1
        pending[total] = pending.get(total, 0) + amount
        pending[bucket] = pending.get(bucket, 0) + 1
        if self._due is None:
            self._schedule()

    def _add(self, value: Any, amount: float) -> None:
        self._pending[value] = self._pending.get(value, 0) + amount
        if self._due is None:
            self._schedule()

    def _schedule(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # a synchronous caller, with no loop to wait on
            self.flush()
            return
        self._due = loop.call_later(HOT_FLUSH_SECONDS, self.flush)

    def flush(self) -> None:
        if self._due is not None:
            self._due.cancel()
            self._due = None
        pending, self._pending = self._pending, {}
        for value, amount in pending.items():
            if amount:
                value.inc(amount)


_metrics: Metrics | None = None


def metrics() -> Metrics:
    """The process's metrics, made on the first call."""
    global _metrics  # noqa: PLW0603 - one set per process, as prometheus-client expects
    if _metrics is None:
        # prometheus-client picks its value class when imported; `fusionx serve` may have
        # set PROMETHEUS_MULTIPROC_DIR since (before its workers forked): pick again.
        values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]
        # A `_created` series per labelled child doubles a scrape and no query uses them.
        disable_created_metrics()  # type: ignore[no-untyped-call]
        _metrics = Metrics()
    return _metrics


@dataclass(frozen=True, kw_only=True)
class Snapshot:
    """Figures read at scrape time: a state, the same whichever worker reports it."""

    outbox_pending: int | None = None
    outbox_oldest_age_seconds: float | None = None
    ready: bool | None = None


class _SnapshotCollector(Collector):
    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot

    def collect(self) -> Iterable[Metric]:
        snapshot = self._snapshot
        if snapshot.outbox_pending is not None:
            yield GaugeMetricFamily(
                f"{PREFIX}_outbox_pending",
                "Notifications waiting to be sent (pending in the outbox)",
                value=snapshot.outbox_pending,
            )
            yield GaugeMetricFamily(
                f"{PREFIX}_outbox_oldest_pending_age_seconds",
                "Age of the oldest pending notification (0 when none waits)",
                value=snapshot.outbox_oldest_age_seconds or 0.0,
            )
        if snapshot.ready is not None:
            yield GaugeMetricFamily(
                f"{PREFIX}_ready",
                "1 when the database answers at the current schema, else 0",
                value=1.0 if snapshot.ready else 0.0,
            )


def scrape(snapshot: Snapshot) -> bytes:
    """The Prometheus text of every worker's figures, with ``snapshot``'s."""
    if _metrics is not None:
        # This worker's figures are exact as of the scrape; the others' a second old at most.
        _metrics.flush()
    directory = os.environ.get(MULTIPROC_VARIABLE)
    if directory:
        forget_dead_processes(Path(directory))
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    else:
        registry = CollectorRegistry()
        registry.register(_Everything())
    registry.register(_SnapshotCollector(snapshot))
    return generate_latest(registry)


class _Everything(Collector):
    """The default registry's metrics, re-exposed beside a scrape's own."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def use_multiprocess_directory(directory: Path) -> None:
    """Make this process's future workers keep their figures in ``directory``, emptied
    first: figures of an earlier run must not be added to this one's."""
    global _metrics  # noqa: PLW0603 - see metrics()
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROC_VARIABLE] = str(directory)
    # Figures this process made before (its start-up checks used the database) keep
    # their values in memory: the workers must make theirs anew, in the directory.
    if _metrics is not None:
        for figure in vars(_metrics).values():
            if isinstance(figure, MetricWrapperBase):  # not the pending sums, nor children
                REGISTRY.unregister(figure)
        _metrics = None


def forget_dead_processes(directory: Path) -> None:
    """Drop the live gauges of workers that died (crashed, killed, replaced).

    Their counters and histograms stay: what they counted happened. Their "live"
    gauges (connections in use, open streams) would otherwise count forever.
    """
    for path in directory.glob("gauge_live*_*.db"):
        pid_text = path.stem.rpartition("_")[2]
        if pid_text.isdigit() and not _alive(int(pid_text)):
            mark_process_dead(int(pid_text), str(directory))  # type: ignore[no-untyped-call]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
