"""The issue's 'done when', end to end: the real ``fusionx serve`` under granian, pushing
to a local APNs-like HTTP/2 server; the simulator's orders reach the truck's device, and
a service killed mid-dispatch delivers every pending notification once restarted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.support.apns_server import ApnsThread, FakeApns
from tests.support.served import Server, clean_environment, fusionx
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


@pytest.fixture
def service(tmp_path: Path, apns: tuple[FakeApns, dict[str, str]]) -> Iterator[Server]:
    env = clean_environment(FUSIONX_DATA_DIR=str(tmp_path), FUSIONX_LOG_FORMAT="json", **apns[1])
    try:
        with Server(env, tmp_path / "serve.log") as running:
            yield running
    finally:
        apns[0].hang = False


class Kitchen:
    """The demo fleet's truck with an open shift, its manager and its device, whose
    push token is registered."""

    def __init__(self, service: Server) -> None:
        fleet: dict[str, Any] = json.loads(
            fusionx(service.env, "seed", "--demo", "--json", timeout=120).stdout
        )
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
    service: Server, apns: tuple[FakeApns, dict[str, str]]
) -> None:
    fake, _ = apns
    kitchen = Kitchen(service)
    before = len(fake.requests)

    fusionx(
        service.env, "simulate", "--base-url", service.url, "--truck", kitchen.truck_id,
        "--location", kitchen.fleet["locations"][0]["id"], "--orders", "6", "--rate", "25",
        "--prep-seconds", "0.1", "--seed", "3", "--checkout", timeout=120,
    )  # fmt: skip

    def pushed() -> list[dict[str, Any]]:
        return [
            r.payload for r in fake.requests[before:]
            if r.payload["aps"]["alert"]["title"].startswith("New order")
        ]  # fmt: skip

    service.wait_for(lambda: len(pushed()) >= 6, "six new-order pushes")
    assert {r.headers[":path"] for r in fake.requests[before:]} == {f"/3/device/{DEVICE_TOKEN}"}
    new_orders = [n for n in kitchen.notifications() if n["kind"] == "new_order"]
    assert len(new_orders) == 6
    assert {n["state"] for n in new_orders} == {"sent"}
    assert len({p["order_id"] for p in pushed()}) == 6


def test_a_service_killed_mid_dispatch_delivers_every_pending_notification_on_restart(
    service: Server, apns: tuple[FakeApns, dict[str, str]]
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
    service.wait_for(lambda: len(fake.held) >= 1, "the dispatcher to be mid-send")

    service.kill()
    fake.hang = False
    service.start()

    def all_sent() -> bool:
        notifications = kitchen.notifications()
        return len(notifications) == 5 and {n["state"] for n in notifications} == {"sent"}

    service.wait_for(all_sent, "every notification to be sent after the restart")
    delivered = {r.payload.get("order_id") for r in fake.requests}
    assert set(order_ids) <= delivered
    assert fake.held[0]["order_id"] in delivered  # the one cut off mid-send went out again
