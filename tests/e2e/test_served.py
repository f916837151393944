"""The issue's 'done when', end to end: the real ``fusionx serve`` under granian.

A fresh data directory, no settings: the server migrates its embedded SQLite database,
a staff member created with the CLI signs in, registers a TruckKDS device, the device's
credential works, and revoking the device locks it out on the next request.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.served import Server, clean_environment, fusionx

PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[httpx.Client, dict[str, str]]]:
    data_dir: Path = tmp_path_factory.mktemp("served")
    env = clean_environment(FUSIONX_DATA_DIR=str(data_dir), FUSIONX_LOG_FORMAT="json")
    with (
        Server(env, data_dir / "serve.log") as server,
        httpx.Client(base_url=server.url, timeout=10) as client,
    ):
        yield client, env


def test_a_fresh_server_lets_staff_register_a_device_and_revoke_it(
    served: tuple[httpx.Client, dict[str, str]],
) -> None:
    client, env = served
    truck_id = fusionx(env, "create-truck", "--name", "Taco Titan").stdout.strip()
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

    second = fusionx(
        env | {"FUSIONX_DATA_DIR": str(tmp_path)}, "serve", "--port", port, check=False
    )

    assert second.returncode == 2
    assert second.stdout == ""
    assert second.stderr == (
        f"fusionx: port {port} on 127.0.0.1 is already in use: stop the server on it "
        "or choose another port (--port or FUSIONX_PORT)\n"
    )
