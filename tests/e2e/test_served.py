"""The issue's 'done when', end to end: the real ``fusionx serve`` under granian.

A fresh data directory, no settings: the server migrates its embedded SQLite database,
a staff member created with the CLI signs in, registers a TruckKDS device, the device's
credential works, and revoking the device locks it out on the next request.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

PASSWORD = "a long enough password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fusionx(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [sys.executable, "-m", "fusionx.entrypoints.cli", *args],
        env=env, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return done.stdout.strip()


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[httpx.Client, dict[str, str]]]:
    data_dir: Path = tmp_path_factory.mktemp("served")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUSIONX_")}
    env |= {"FUSIONX_DATA_DIR": str(data_dir), "FUSIONX_LOG_FORMAT": "json"}
    port = free_port()
    # To a file, not a pipe nobody reads while the tests run: once a pipe's buffer is
    # full, the server blocks on its next log line and cannot even shut down.
    log = (data_dir / "serve.log").open("wb")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "fusionx.entrypoints.cli", "serve", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if client.get("/health/ready").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                output = (data_dir / "serve.log").read_text(errors="replace")
                pytest.fail(f"fusionx serve did not become ready:\n{output}")
            time.sleep(0.2)
        yield client, env
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=15)
        log.close()


def test_a_fresh_server_lets_staff_register_a_device_and_revoke_it(
    served: tuple[httpx.Client, dict[str, str]],
) -> None:
    client, env = served
    truck_id = fusionx(env, "create-truck", "--name", "Taco Titan")
    fusionx(
        env, "create-staff", "--email", "Mia@Example.test", "--password", PASSWORD,
        "--name", "Mia", "--role", "manager", "--truck", truck_id,
    )  # fmt: skip

    login = client.post(
        "/api/v1/auth/login", json={"email": "mia@example.test", "password": PASSWORD}
    )
    assert login.status_code == 200, login.text
    staff = {"Authorization": f"Bearer {login.json()['token']}"}

    registered = client.post(
        f"/api/v1/trucks/{truck_id}/devices",
        headers=staff,
        json={"label": "Pass", "platform": "ipados", "app_version": "1.0", "os_version": "17"},
    )
    assert registered.status_code == 201, registered.text
    device = {"Authorization": f"Bearer {registered.json()['credential']}"}
    device_id = registered.json()["device"]["id"]

    me = client.get("/api/v1/me", headers=device)
    assert me.status_code == 200
    assert me.json()["kind"] == "device"

    assert client.delete(f"/api/v1/devices/{device_id}", headers=staff).status_code == 204
    locked_out = client.get("/api/v1/me", headers=device)
    assert locked_out.status_code == 401
    assert locked_out.headers["content-type"].startswith("application/problem+json")


def test_a_second_server_on_the_same_port_refuses_to_start(
    served: tuple[httpx.Client, dict[str, str]], tmp_path: Path
) -> None:
    client, env = served
    port = str(client.base_url.port)

    second = subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [sys.executable, "-m", "fusionx.entrypoints.cli", "serve", "--port", port],
        env=env | {"FUSIONX_DATA_DIR": str(tmp_path)},
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip

    assert second.returncode == 2
    assert second.stdout == ""
    assert second.stderr == (
        f"fusionx: port {port} on 127.0.0.1 is already in use: stop the server on it "
        "or choose another port (--port or FUSIONX_PORT)\n"
    )
