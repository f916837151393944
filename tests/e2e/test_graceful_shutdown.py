"""SIGTERM to ``fusionx serve`` (two workers, the embedded database, demo data): the
instance leaves gracefully.

Readiness fails first, while the server still answers; the open event stream is closed
with 1001 (going away: reconnect elsewhere with ``last_seq``); a request whose body is
still arriving when the signal comes is answered in full; then the server stops, with
status 0, and takes no more connections.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from fusionx.entrypoints.http.stream_drain import REASON as GOING_AWAY
from tests.support.served import free_port

DRAIN_SECONDS = 3
DEMO_LOGIN = {"email": "manager@demo.fusionx.test", "password": "fusionx-demo-password"}


class Served:
    def __init__(self, tmp_path: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FUSIONX_")}
        env |= {
            "FUSIONX_DATA_DIR": str(tmp_path),
            "FUSIONX_LOG_FORMAT": "json",
            "FUSIONX_SHUTDOWN_DRAIN_SECONDS": str(DRAIN_SECONDS),
            "FUSIONX_SHUTDOWN_GRACE_SECONDS": "20",
        }
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log_path = tmp_path / "serve.log"
        self._log = self._log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own CLI with fixed arguments
            [sys.executable, "-m", "fusionx.entrypoints.cli", "serve", "--demo",
             "--workers", "2", "--port", str(self.port)],
            env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(self.url + "/health/ready", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"fusionx serve did not become ready:\n{self.output()}")
            time.sleep(0.2)

    def output(self) -> str:
        return self._log_path.read_text(errors="replace")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)
        self._log.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path)
    try:
        server.wait_ready()
        yield server
    finally:
        server.close()


def _open_shift(url: str) -> tuple[str, str]:
    with httpx.Client(base_url=url, timeout=10) as http:
        token = http.post("/api/v1/auth/login", json=DEMO_LOGIN).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        truck = http.get("/api/v1/me/trucks", headers=auth).json()["items"][0]["id"]
        location = http.get("/api/v1/locations", headers=auth).json()["items"][0]["id"]
        opened = http.post(
            "/api/v1/shifts", headers=auth, json={"truck_id": truck, "location_id": location}
        ).json()
        return token, opened.get("id") or opened["open_shift_id"]


def _start_slow_login(port: int) -> tuple[socket.socket, bytes]:
    """A sign-in whose headers and first half of body are sent: the rest is returned."""
    body = json.dumps(DEMO_LOGIN).encode()
    head = (
        f"POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    half = len(body) // 2
    sock.sendall(head + body[:half])
    return sock, body[half:]


def _response(sock: socket.socket) -> tuple[int, bytes]:
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    status_line, _, rest = received.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def _close_of(stream: ClientConnection) -> tuple[int, str] | None:
    """The code and reason the server closed ``stream`` with, reading what came before."""
    try:
        while True:
            stream.recv(timeout=DRAIN_SECONDS)
    except ConnectionClosed as closed:
        return None if closed.rcvd is None else (closed.rcvd.code, closed.rcvd.reason)


def test_sigterm_fails_readiness_closes_streams_with_1001_and_finishes_requests(
    served: Served,
) -> None:
    token, shift = _open_shift(served.url)
    with connect(
        f"ws://127.0.0.1:{served.port}/api/v1/shifts/{shift}/events?last_seq=0",
        additional_headers={"Authorization": f"Bearer {token}"},
        open_timeout=10,
    ) as stream:
        first = json.loads(stream.recv(timeout=10))
        assert first["seq"] == 1
        slow, rest_of_body = _start_slow_login(served.port)
        time.sleep(0.5)  # the request is in a worker's hands, its body half read

        served.process.send_signal(signal.SIGTERM)
        signalled = time.monotonic()

        # The stream is told at once to go elsewhere, with the code that says so.
        assert _close_of(stream) == (1001, GOING_AWAY)
        assert time.monotonic() - signalled < DRAIN_SECONDS - 1, served.output()
    # A stream opened now, while the balancer has not caught up, is sent on its way too.
    with connect(
        f"ws://127.0.0.1:{served.port}/api/v1/shifts/{shift}/events?last_seq=1",
        additional_headers={"Authorization": f"Bearer {token}"},
        open_timeout=2,
    ) as late:
        assert _close_of(late) == (1001, GOING_AWAY)

    # Readiness fails while the server still answers, on every worker.
    answers = []
    while time.monotonic() - signalled < DRAIN_SECONDS - 0.5:
        answers.append(httpx.get(served.url + "/health/ready", timeout=2).status_code)
        time.sleep(0.05)
    assert len(answers) >= 4, "the drain left no time to ask"
    assert set(answers) == {503}, answers
    live = httpx.get(served.url + "/health/live", timeout=2)
    assert live.status_code == 200
    assert live.headers["connection"] == "close"  # clients reconnect, through the balancer

    # Past the drain the server stops listening, but the request in hand completes.
    time.sleep(DRAIN_SECONDS + 1 - (time.monotonic() - signalled))
    slow.sendall(rest_of_body)
    status, body = _response(slow)
    slow.close()
    assert status == 200, body
    assert json.loads(body)["token"]

    assert served.process.wait(timeout=30) == 0, served.output()
    with pytest.raises(httpx.TransportError):
        httpx.get(served.url + "/health/live", timeout=2)
    logged = [json.loads(line) for line in served.output().splitlines() if line.startswith("{")]
    assert any(line.get("event", "").startswith("draining") for line in logged)
