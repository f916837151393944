"""Device heartbeats from the API, and devices shown online or stale."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.http.conftest import Fleet

HEARTBEAT = "/api/v1/devices/heartbeat"
BODY = {"app_version": "2.1.0", "os_version": "18.2", "last_seq": 12, "battery_percent": 80}


def devices_of(fleet: Fleet) -> str:
    return f"/api/v1/trucks/{fleet.taco.id}/devices"


async def test_a_heartbeat_updates_the_device_and_shows_it_online(
    client, fleet, manager, taco_device, clock
):
    response = await client.post(HEARTBEAT, json=BODY | {"queue_depth": 3}, headers=taco_device)

    assert response.status_code == 200, response.text
    shown = response.json()
    assert (shown["status"], shown["app_version"], shown["os_version"]) == (
        "online",
        "2.1.0",
        "18.2",
    )
    assert (shown["last_event_seq"], shown["battery_percent"], shown["queue_depth"]) == (12, 80, 3)
    listed = (await client.get(devices_of(fleet), headers=manager)).json()["items"]
    assert [(d["status"], d["last_seen_at"]) for d in listed] == [
        ("online", clock.now().isoformat().replace("+00:00", "Z"))
    ]


async def test_a_silent_device_is_listed_stale(client, fleet, manager, taco_device, clock):
    assert (await client.post(HEARTBEAT, json=BODY, headers=taco_device)).status_code == 200
    clock.advance(timedelta(seconds=91))  # the default window is 90 s

    listed = (await client.get(devices_of(fleet), headers=manager)).json()["items"]

    assert [d["status"] for d in listed] == ["stale"]


async def test_a_device_never_heard_from_is_never_seen(client, fleet, manager, taco_device):
    listed = (await client.get(devices_of(fleet), headers=manager)).json()["items"]

    assert [d["status"] for d in listed] == ["never_seen"]


async def test_staff_cannot_send_heartbeats(client, manager):
    response = await client.post(HEARTBEAT, json=BODY, headers=manager)

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"last_seq": -1}, "last_seq"),
        ({"battery_percent": 101}, "battery_percent"),
        ({"queue_depth": -2}, "queue_depth"),
        ({"app_version": ""}, "app_version"),
    ],
)
async def test_a_bad_heartbeat_is_422_naming_the_field(client, taco_device, change, field):
    response = await client.post(HEARTBEAT, json=BODY | change, headers=taco_device)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_a_heartbeat_needs_a_credential(client):
    assert (await client.post(HEARTBEAT, json=BODY)).status_code == 401
