"""``fusionx serve`` with ``FUSIONX_OTEL_ENDPOINT``: its workers export spans over OTLP/HTTP
to a local receiver, and the request's log line names the same trace."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.support.databases import MigratedDatabase, migrated_postgres
from tests.support.otlp_receiver import Received, ReceivedSpan, otlp_receiver
from tests.support.served import free_port

pytestmark = pytest.mark.postgres
SERVER_KIND = 2  # opentelemetry.proto's SPAN_KIND_SERVER


@pytest.fixture(scope="module")
async def database() -> AsyncIterator[MigratedDatabase]:
    async with migrated_postgres() as database:
        yield database


def test_served_spans_reach_an_otlp_receiver_with_the_logged_trace_id(
    database: MigratedDatabase, tmp_path: Path
) -> None:
    with otlp_receiver() as (endpoint, received):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FUSIONX_", "OTEL_"))}
        env |= {
            "FUSIONX_DATABASE_URL": database.url,
            "FUSIONX_LOG_FORMAT": "json",
            "FUSIONX_OTEL_ENDPOINT": endpoint,
            "FUSIONX_OTEL_SERVICE_NAME": "fusionx-e2e",
            "OTEL_BSP_SCHEDULE_DELAY": "100",  # export within a tenth of a second
        }
        port, log = free_port(), tmp_path / "serve.log"
        url = f"http://127.0.0.1:{port}"
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603 - our own CLI with fixed arguments
                [sys.executable, "-m", "fusionx.entrypoints.cli", "serve", "--port", str(port)],
                env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                _wait_ready(url, process, log)
                wrong = {"email": "nobody@example.com", "password": "not-the-password"}
                response = httpx.post(f"{url}/api/v1/auth/login", json=wrong, timeout=10)
                assert response.status_code == 401
                request_id = response.headers["x-request-id"]
                server = _wait_for_span(received, "POST /api/v1/auth/login")
            finally:
                process.terminate()
                process.wait(timeout=30)
        in_trace = [s for s in received.snapshot() if s.trace_id == server.trace_id]
        assert server.service == "fusionx-e2e"
        assert any(s.attributes.get("db.system", "") == "postgresql" for s in in_trace) or any(
            s.name.startswith(("SELECT", "INSERT", "WITH")) for s in in_trace
        ), [s.name for s in in_trace]
        lines = [json.loads(line) for line in log.read_text().splitlines() if request_id in line]
        assert lines
        assert {line.get("trace_id") for line in lines} == {server.trace_id}


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/health/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail("fusionx serve did not become ready:\n" + log.read_text())
        time.sleep(0.1)


def _wait_for_span(received: Received, name: str) -> ReceivedSpan:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for span in received.snapshot():
            if span.name == name and span.kind == SERVER_KIND:
                return span
        time.sleep(0.05)
    names = [span.name for span in received.snapshot()]
    pytest.fail(f"no {name!r} span received: {names}")
