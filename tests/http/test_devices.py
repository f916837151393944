"""Registering, listing and revoking kitchen devices, with the access rules of the core."""

from __future__ import annotations

from uuid import uuid4

import pytest

from fusionx.core.model.staff import Role
from tests.factories import make_staff, make_truck
from tests.http.conftest import bearer, device_body


def devices_of(truck_id: object) -> str:
    return f"/api/v1/trucks/{truck_id}/devices"


@pytest.fixture
async def fleet(adapters):
    """Two trucks, each with its manager and crew, and an owner of the whole fleet."""
    taco, curry = await make_truck(adapters, "Taco Titan"), await make_truck(adapters, "Curry On")
    return {
        "taco": taco,
        "curry": curry,
        "taco_manager": await make_staff(adapters, role=Role.MANAGER, trucks=[taco]),
        "taco_crew": await make_staff(adapters, role=Role.CREW, trucks=[taco]),
        "curry_manager": await make_staff(adapters, role=Role.MANAGER, trucks=[curry]),
        "owner": await make_staff(adapters, role=Role.OWNER),
    }


async def test_a_manager_registers_a_device_whose_credential_works(client, fleet, sign_in):
    headers = await sign_in(fleet["taco_manager"])

    response = await client.post(devices_of(fleet["taco"].id), json=device_body(), headers=headers)

    assert response.status_code == 201
    body = response.json()
    assert body["credential"].startswith("fxd_")
    device = body["device"]
    assert device["truck_id"] == str(fleet["taco"].id)
    assert device["registered_by"] == str(fleet["taco_manager"].id)
    assert device["label"] == "Grill screen"
    assert device["platform"] == "ipados"
    assert device["created_at"].endswith("Z")
    assert device["revoked_at"] is None
    me = await client.get("/api/v1/me", headers=bearer(body["credential"]))
    assert me.status_code == 200
    assert me.json()["id"] == device["id"]


async def test_an_owner_registers_for_any_truck(client, fleet, sign_in):
    response = await client.post(
        devices_of(fleet["curry"].id), json=device_body(), headers=await sign_in(fleet["owner"])
    )

    assert response.status_code == 201


async def test_crew_may_not_register_devices(client, fleet, sign_in):
    response = await client.post(
        devices_of(fleet["taco"].id), json=device_body(), headers=await sign_in(fleet["taco_crew"])
    )

    assert response.status_code == 403
    assert response.json()["type"] == "/problems/permission-denied"


async def test_another_trucks_manager_is_told_the_truck_does_not_exist(client, fleet, sign_in):
    response = await client.post(
        devices_of(fleet["taco"].id),
        json=device_body(),
        headers=await sign_in(fleet["curry_manager"]),
    )

    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"


@pytest.mark.parametrize("who", ["owner", "taco_manager"])
async def test_an_unknown_truck_is_not_found(client, fleet, sign_in, who):
    response = await client.post(
        devices_of(uuid4()), json=device_body(), headers=await sign_in(fleet[who])
    )

    assert response.status_code == 404


async def test_a_device_may_not_register_devices(client, fleet, register_device):
    device = await register_device(fleet["taco"], by=fleet["taco_manager"])
    headers = bearer(device.credential)

    own_truck = await client.post(devices_of(fleet["taco"].id), json=device_body(), headers=headers)
    other_truck = await client.post(
        devices_of(fleet["curry"].id), json=device_body(), headers=headers
    )

    # Its own truck is in scope, so the role check speaks; another truck does not exist for it.
    assert own_truck.status_code == 403
    assert other_truck.status_code == 404


async def test_listing_pages_through_a_trucks_devices(client, fleet, sign_in, register_device):
    ids = [
        str(
            (await register_device(fleet["taco"], by=fleet["owner"], label=f"Tablet {n}")).device.id
        )
        for n in range(3)
    ]
    await register_device(fleet["curry"], by=fleet["owner"])
    headers = await sign_in(fleet["taco_crew"])

    first = await client.get(devices_of(fleet["taco"].id), params={"limit": 2}, headers=headers)
    second = await client.get(
        devices_of(fleet["taco"].id), params={"limit": 2, "offset": 2}, headers=headers
    )
    default = await client.get(devices_of(fleet["taco"].id), headers=headers)

    assert first.status_code == second.status_code == default.status_code == 200
    assert first.json()["total"] == 3
    assert (first.json()["limit"], first.json()["offset"]) == (2, 0)
    assert [d["id"] for d in first.json()["items"] + second.json()["items"]] == ids
    assert (default.json()["limit"], default.json()["offset"]) == (50, 0)
    assert [d["id"] for d in default.json()["items"]] == ids


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "x"}])
async def test_page_parameters_are_bounded(client, fleet, sign_in, params):
    response = await client.get(
        devices_of(fleet["taco"].id), params=params, headers=await sign_in(fleet["taco_manager"])
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == list(params)


async def test_listing_another_trucks_devices_is_not_found(client, fleet, sign_in):
    response = await client.get(
        devices_of(fleet["taco"].id), headers=await sign_in(fleet["curry_manager"])
    )

    assert response.status_code == 404


async def test_a_revoked_device_is_refused_on_its_next_request(
    client, fleet, sign_in, register_device
):
    device = await register_device(fleet["taco"], by=fleet["taco_manager"])
    assert (await client.get("/api/v1/me", headers=bearer(device.credential))).status_code == 200
    headers = await sign_in(fleet["taco_manager"])

    response = await client.delete(f"/api/v1/devices/{device.device.id}", headers=headers)

    assert response.status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(device.credential))).status_code == 401
    listed = await client.get(devices_of(fleet["taco"].id), headers=headers)
    assert listed.json()["items"][0]["revoked_at"] is not None
    again = await client.delete(f"/api/v1/devices/{device.device.id}", headers=headers)
    assert again.status_code == 204


async def test_revoking_another_trucks_device_is_not_found(client, fleet, sign_in, register_device):
    device = await register_device(fleet["taco"], by=fleet["taco_manager"])

    response = await client.delete(
        f"/api/v1/devices/{device.device.id}", headers=await sign_in(fleet["curry_manager"])
    )

    assert response.status_code == 404
    assert (await client.get("/api/v1/me", headers=bearer(device.credential))).status_code == 200


async def test_crew_may_not_revoke_devices(client, fleet, sign_in, register_device):
    device = await register_device(fleet["taco"], by=fleet["taco_manager"])

    response = await client.delete(
        f"/api/v1/devices/{device.device.id}", headers=await sign_in(fleet["taco_crew"])
    )

    assert response.status_code == 403


async def test_revoking_an_unknown_device_is_not_found(client, fleet, sign_in):
    response = await client.delete(
        f"/api/v1/devices/{uuid4()}", headers=await sign_in(fleet["owner"])
    )

    assert response.status_code == 404
    assert response.json()["detail"].startswith("device ")
