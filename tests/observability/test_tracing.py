"""Tracing, on the production wiring over PostgreSQL: a traced order shows its HTTP,
SQL and event-publication spans under one trace id, and every log line of the request
carries that id. Off unless configured."""

from __future__ import annotations

import importlib
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from fusionx.adapters.observability.tracing import TracedEventBus, tracing_on
from fusionx.entrypoints.bootstrap import Adapters, sql_adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.http.observability import untraced_app_building
from fusionx.entrypoints.observability_settings import ObservabilitySettings, tracing_wanted
from fusionx.entrypoints.settings import Settings
from fusionx.entrypoints.tracing import configure_tracing
from tests.factories import PASSWORD, ShiftWorld, open_shift_world
from tests.http.conftest import LogLines
from tests.observability.tracing import tracing_to
from tests.support.databases import MigratedDatabase, migrated_postgres

ORDERS_ROUTE = "POST /api/v1/shifts/{shift_id}/orders"


@pytest.fixture(scope="module")
async def database() -> AsyncIterator[MigratedDatabase]:
    async with migrated_postgres() as database:
        yield database


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    with tracing_to(SimpleSpanProcessor(exporter)):
        yield exporter


def test_tracing_is_off_unless_an_endpoint_is_configured() -> None:
    assert not tracing_wanted(ObservabilitySettings(), environ={})
    assert configure_tracing(ObservabilitySettings(), environ={}) is None
    assert not tracing_on()
    assert tracing_wanted(ObservabilitySettings(otel_endpoint="http://collector:4318"), {})
    standard = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}
    assert tracing_wanted(ObservabilitySettings(), environ=standard)


LITESTAR_TRACING_PLUGIN = "litestar.plugins.opentelemetry"


def test_an_untraced_app_is_built_without_litestars_tracing_plugin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As in a fresh worker, where nothing has imported the plugin yet.
    monkeypatch.delitem(sys.modules, LITESTAR_TRACING_PLUGIN, raising=False)
    with untraced_app_building(tracer_provider=None), pytest.raises(ImportError):
        importlib.import_module(LITESTAR_TRACING_PLUGIN)
    # Built: a traced app in the same process still finds it.
    assert importlib.import_module(LITESTAR_TRACING_PLUGIN).OpenTelemetryPlugin


def test_a_traced_app_is_built_with_litestars_tracing_plugin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(sys.modules, LITESTAR_TRACING_PLUGIN, raising=False)
    with untraced_app_building(tracer_provider=TracerProvider()):
        assert importlib.import_module(LITESTAR_TRACING_PLUGIN).OpenTelemetryPlugin


@pytest.mark.postgres
async def test_a_traced_order_shows_http_sql_and_event_spans_under_one_trace_id(
    spans: InMemorySpanExporter, database: MigratedDatabase, log_lines: LogLines
) -> None:
    await database.empty()
    adapters = sql_adapters(Settings(database_url=database.url))
    try:
        assert isinstance(adapters.bus, TracedEventBus)
        world = await open_shift_world(adapters)
        response = await _order(adapters, world)
    finally:
        for hook in adapters.on_shutdown:
            await hook()
    assert response.status_code == 201, response.text

    finished = spans.get_finished_spans()
    (server,) = [s for s in finished if s.name == ORDERS_ROUTE and s.kind is SpanKind.SERVER]
    trace_id = server.context.trace_id
    in_trace = [s for s in finished if s.context.trace_id == trace_id]
    sql = [s for s in in_trace if _attribute(s, "db.system", "db.system.name") == "postgresql"]
    statements = " ".join(str(s.attributes.get("db.statement", s.name)) for s in sql)
    assert "INSERT INTO orders" in statements or any("INSERT" in s.name for s in sql)
    (published,) = [s for s in in_trace if s.name == "publish shift events"]
    assert "order.created" in list(published.attributes["fusionx.event_types"])
    # Every span of the request hangs under its server span.
    assert all(s.parent is not None for s in in_trace if s is not server)

    hex_id = format(trace_id, "032x")
    request_lines = log_lines.of_request(response.headers["x-request-id"])
    assert request_lines, "the request logged"
    assert {line.get("trace_id") for line in request_lines} == {hex_id}


async def _order(adapters: Adapters, world: ShiftWorld) -> httpx.Response:
    app = create_app(Settings(), adapters, ObservabilitySettings(), _provider())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fusionx.test") as client:
        login = await client.post(
            "/api/v1/auth/login", json={"email": world.manager.email, "password": PASSWORD}
        )
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        body = {"lines": [{"item_id": str(world.items[0].id), "quantity": 1}]}
        return await client.post(
            f"/api/v1/shifts/{world.shift.id}/orders", json=body, headers=headers
        )


def _provider() -> Any:
    from opentelemetry import trace  # noqa: PLC0415

    return trace.get_tracer_provider()


def _attribute(span: ReadableSpan, *names: str) -> object:
    attributes = span.attributes or {}
    return next((attributes[name] for name in names if name in attributes), None)
