"""The issue's 'done when', end to end: the real ``fusionx serve`` under granian, pushing
to a local APNs-like HTTP/2 server; the simulator's orders reach the truck's device, and
a service killed mid-dispatch delivers every pending notification once restarted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.e2e.test_served import free_port
from tests.support.apns_server import ApnsThread, FakeApns
from tests.support.tls import SelfSigned

TOPIC, KEY_ID, TEAM_ID = "com.fusionx.kds", "KEY1234567", "TEAM123456"
DEVICE_TOKEN = "5e" * 32


@pytest.fixture(scope="module")
def apns(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeApns, dict[str, str]]]:
    directory = tmp_path_factory.mktemp("apns")
    key = ec.generate_private_key(ec.SECP256R1())
    key_file = directory / "AuthKey.p8"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    tls = SelfSigned(directory)
    fake = FakeApns(public_key=key.public_key(), key_id=KEY_ID, team_id=TEAM_ID, topic=TOPIC)
    with ApnsThread(fake, tls.server_context("h2")) as server:
        yield (
            fake,
            {
                "FUSIONX_APNS_KEY_FILE": str(key_file),
                "FUSIONX_APNS_KEY_ID": KEY_ID,
                "FUSIONX_APNS_TEAM_ID": TEAM_ID,
                "FUSIONX_APNS_TOPIC": TOPIC,
                "FUSIONX_APNS_HOST": server.url,
                "FUSIONX_APNS_CA_FILE": str(tls.cert_file),
                "FUSIONX_NOTIFY_POLL_SECONDS": "0.2",
                "FUSIONX_NOTIFY_LEASE_SECONDS": "2",
            },
        )


class Service:
    """``fusionx serve`` in its own process group, so that it can be killed outright."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(  # noqa: S603 - our own CLI
            [sys.executable, "-m", "fusionx.entrypoints.cli", "serve", "--port", str(self.port)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        wait_for(lambda: _ready(self.url), "the service to be ready", self._process)

    def kill(self) -> None:
        """SIGKILL the server and its workers: no shutdown hook, no cleanup."""
        assert self._process is not None
        os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait(timeout=15)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            self._process.wait(timeout=15)


@pytest.fixture
def service(tmp_path: Path, apns: tuple[FakeApns, dict[str, str]]) -> Iterator[Service]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUSIONX_")}
    env |= {"FUSIONX_DATA_DIR": str(tmp_path), "FUSIONX_LOG_FORMAT": "json", **apns[1]}
    running = Service(env)
    running.start()
    try:
        yield running
    finally:
        running.stop()
        apns[0].hang = False


def fusionx(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [sys.executable, "-m", "fusionx.entrypoints.cli", *args],
        env=env, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return done.stdout


def wait_for(
    condition: Callable[[], bool], what: str, process: subprocess.Popen[bytes] | None = None,
    seconds: float = 60,
) -> None:  # fmt: skip
    deadline = time.monotonic() + seconds
    while not condition():
        if process is not None and process.poll() is not None:
            pytest.fail(f"the service exited while waiting for {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.1)


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health/ready", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


class Kitchen:
    """The demo fleet's truck with an open shift, its manager and its device, whose
    push token is registered."""

    def __init__(self, service: Service) -> None:
        fleet: dict[str, Any] = json.loads(fusionx(service.env, "seed", "--demo", "--json"))
        self.fleet = fleet
        self.truck_id = fleet["device"]["truck_id"]
        self.client = httpx.Client(base_url=service.url, timeout=10)
        login = self.client.post(
            "/api/v1/auth/login",
            json={"email": "manager@demo.fusionx.test", "password": fleet["password"]},
        )
        self.manager = {"authorization": f"Bearer {login.json()['token']}"}
        device = {"authorization": f"Bearer {fleet['device']['credential']}"}
        registered = self.client.put(
            "/api/v1/devices/me/push-token",
            json={"token": DEVICE_TOKEN, "app_version": "3.0", "os_version": "18.1"},
            headers=device,
        )
        assert registered.status_code == 200, registered.text

    def notifications(self) -> list[dict[str, Any]]:
        page = self.client.get(
            f"/api/v1/trucks/{self.truck_id}/notifications?limit=200", headers=self.manager
        )
        assert page.status_code == 200, page.text
        items: list[dict[str, Any]] = page.json()["items"]
        return items


def test_the_simulators_orders_are_pushed_to_the_trucks_device(
    service: Service, apns: tuple[FakeApns, dict[str, str]]
) -> None:
    fake, _ = apns
    kitchen = Kitchen(service)
    before = len(fake.requests)

    fusionx(
        service.env, "simulate", "--base-url", service.url, "--truck", kitchen.truck_id,
        "--location", kitchen.fleet["locations"][0]["id"], "--orders", "6", "--rate", "25",
        "--prep-seconds", "0.1", "--seed", "3", "--checkout",
    )  # fmt: skip

    def pushed() -> list[dict[str, Any]]:
        return [
            r.payload for r in fake.requests[before:]
            if r.payload["aps"]["alert"]["title"].startswith("New order")
        ]  # fmt: skip

    wait_for(lambda: len(pushed()) >= 6, "six new-order pushes")
    assert {r.headers[":path"] for r in fake.requests[before:]} == {f"/3/device/{DEVICE_TOKEN}"}
    new_orders = [n for n in kitchen.notifications() if n["kind"] == "new_order"]
    assert len(new_orders) == 6
    assert {n["state"] for n in new_orders} == {"sent"}
    assert len({p["order_id"] for p in pushed()}) == 6


def test_a_service_killed_mid_dispatch_delivers_every_pending_notification_on_restart(
    service: Service, apns: tuple[FakeApns, dict[str, str]]
) -> None:
    fake, _ = apns
    kitchen = Kitchen(service)
    client, manager = kitchen.client, kitchen.manager
    shift = client.post(
        "/api/v1/shifts",
        json={"truck_id": kitchen.truck_id, "location_id": kitchen.fleet["locations"][0]["id"]},
        headers=manager,
    ).json()
    item_id = kitchen.fleet["categories"][0]["items"][0]["id"]
    restocked = client.post(
        f"/api/v1/shifts/{shift['id']}/inventory/adjustments",
        json={"item_id": item_id, "reason": "restock", "delta": 50},
        headers=manager,
    )
    assert restocked.status_code == 201, restocked.text
    fake.hang = True  # Apple reads the pushes and never answers
    order_ids = []
    for _ in range(5):
        placed = client.post(
            f"/api/v1/shifts/{shift['id']}/orders",
            json={"lines": [{"item_id": item_id, "quantity": 1}]},
            headers=manager,
        )
        assert placed.status_code == 201, placed.text
        order_ids.append(placed.json()["order"]["id"])
    wait_for(lambda: len(fake.held) >= 1, "the dispatcher to be mid-send")

    service.kill()
    fake.hang = False
    service.start()

    def all_sent() -> bool:
        notifications = kitchen.notifications()
        return len(notifications) == 5 and {n["state"] for n in notifications} == {"sent"}

    wait_for(all_sent, "every notification to be sent after the restart")
    delivered = {r.payload.get("order_id") for r in fake.requests}
    assert set(order_ids) <= delivered
    assert fake.held[0]["order_id"] in delivered  # the one cut off mid-send went out again
