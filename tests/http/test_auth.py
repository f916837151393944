"""Signing in and out, throttling and token lifetime, as a client sees them."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.credentials import AccessToken, PrincipalKind, hash_secret
from fusionx.core.model.principals import CustomerPrincipal
from fusionx.core.model.staff import Role
from fusionx.entrypoints.http.auth import authenticated_principal, remember_principal
from tests.factories import PASSWORD, make_staff, make_truck
from tests.http.conftest import bearer

LOGIN = "/api/v1/auth/login"
WRONG = "not the password at all"


def _comparable(body: dict) -> dict:
    """A problem body without the members that differ on every request."""
    return {k: v for k, v in body.items() if k not in {"request_id", "instance"}}


async def test_login_returns_a_bearer_token_and_the_staff_member(client, adapters, clock):
    truck = await make_truck(adapters)
    staff = await make_staff(adapters, role=Role.MANAGER, trucks=[truck])

    response = await client.post(LOGIN, json={"email": staff.email, "password": PASSWORD})

    assert response.status_code == 200
    body = response.json()
    assert body["token"].startswith("fxs_")
    assert body["token_type"] == "bearer"
    assert body["expires_at"] == (clock.now() + adapters.session_ttl).isoformat().replace(
        "+00:00", "Z"
    )
    assert body["staff"] == {
        "id": str(staff.id),
        "email": staff.email,
        "name": staff.name,
        "phone": None,
        "role": "manager",
        "truck_ids": [str(truck.id)],
        "active": True,
    }
    me = await client.get("/api/v1/me", headers=bearer(body["token"]))
    assert me.status_code == 200


async def test_email_is_matched_ignoring_case(client, adapters):
    staff = await make_staff(adapters, email="Ana.Lopez@Example.io")

    response = await client.post(
        LOGIN, json={"email": "  ana.lopez@EXAMPLE.IO ", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert response.json()["staff"]["id"] == str(staff.id)


async def test_wrong_password_and_unknown_email_are_indistinguishable(client, adapters):
    staff = await make_staff(adapters)

    wrong_password = await client.post(LOGIN, json={"email": staff.email, "password": WRONG})
    unknown_email = await client.post(
        LOGIN, json={"email": "nobody@example.test", "password": PASSWORD}
    )

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.headers["www-authenticate"] == "Bearer"
    assert _comparable(wrong_password.json()) == _comparable(unknown_email.json())
    assert wrong_password.json()["type"] == "/problems/invalid-credentials"
    # Byte for byte, once the per-request id is blanked out.
    assert wrong_password.content.replace(
        wrong_password.json()["request_id"].encode(), b""
    ) == unknown_email.content.replace(unknown_email.json()["request_id"].encode(), b"")


async def test_five_failures_throttle_the_account_until_the_window_passes(
    client, adapters, clock: ManualClock
):
    staff = await make_staff(adapters)
    for _ in range(5):
        failed = await client.post(LOGIN, json={"email": staff.email, "password": WRONG})
        assert failed.status_code == 401

    refused = await client.post(LOGIN, json={"email": staff.email, "password": PASSWORD})

    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    retry_after = int(refused.headers["retry-after"])
    assert refused.json()["retry_after"] == retry_after
    assert refused.json()["type"] == "/problems/too-many-attempts"
    assert 0 < retry_after <= 15 * 60

    clock.advance(timedelta(seconds=retry_after - 1))
    still_refused = await client.post(LOGIN, json={"email": staff.email, "password": PASSWORD})
    assert still_refused.status_code == 429

    clock.advance(timedelta(seconds=1))
    allowed = await client.post(LOGIN, json={"email": staff.email, "password": PASSWORD})
    assert allowed.status_code == 200


async def test_logout_revokes_the_token(client, adapters, sign_in):
    headers = await sign_in(await make_staff(adapters))

    response = await client.post("/api/v1/auth/logout", headers=headers)

    assert response.status_code == 204
    assert response.content == b""
    after = await client.get("/api/v1/me", headers=headers)
    assert after.status_code == 401
    assert after.json()["type"] == "/problems/authentication-required"


async def test_a_session_token_expires_after_its_ttl(client, adapters, clock, sign_in):
    headers = await sign_in(await make_staff(adapters))

    clock.advance(adapters.session_ttl - timedelta(seconds=1))
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200

    clock.advance(timedelta(seconds=1))
    expired = await client.get("/api/v1/me", headers=headers)
    assert expired.status_code == 401
    assert expired.headers["www-authenticate"] == "Bearer"


async def test_logout_needs_a_credential(client):
    response = await client.post("/api/v1/auth/logout")

    assert response.status_code == 401


async def test_malformed_authorization_headers_are_refused(client):
    for value in ("", "Bearer", "Bearer   ", "Basic dXNlcjpwYXNz", "fxs_no_scheme", "Bearer fxs_x"):
        response = await client.get("/api/v1/me", headers={"Authorization": value})
        assert response.status_code == 401, value


async def test_the_scheme_is_case_insensitive(client, adapters, sign_in):
    headers = await sign_in(await make_staff(adapters))
    token = headers["Authorization"].removeprefix("Bearer ")

    response = await client.get("/api/v1/me", headers={"Authorization": f"bearer {token}"})

    assert response.status_code == 200


async def test_me_describes_a_staff_member(client, adapters, sign_in):
    truck = await make_truck(adapters)
    staff = await make_staff(adapters, role=Role.CREW, trucks=[truck])

    response = await client.get("/api/v1/me", headers=await sign_in(staff))

    assert response.status_code == 200
    assert response.json() == {
        "kind": "staff",
        "id": str(staff.id),
        "email": staff.email,
        "name": staff.name,
        "phone": None,
        "role": "crew",
        "truck_ids": [str(truck.id)],
        "active": True,
        "notifications": {
            "channels": {
                "new_order": "push", "low_stock": "push", "sold_out": "push",
                "device_stale": "push",
            },
            "quiet_hours": None,
        },
    }  # fmt: skip


async def test_me_describes_a_device(client, adapters, register_device):
    truck = await make_truck(adapters)
    manager = await make_staff(adapters, role=Role.MANAGER, trucks=[truck])
    registered = await register_device(truck, by=manager, label="Pass tablet")

    response = await client.get("/api/v1/me", headers=bearer(registered.credential))

    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "device"
    assert body["id"] == str(registered.device.id)
    assert body["truck_id"] == str(truck.id)
    assert body["label"] == "Pass tablet"
    assert {"platform", "app_version", "os_version"} <= body.keys()
    assert "credential" not in body


async def test_only_staff_and_device_credentials_open_the_api(
    client, adapters, clock, register_device
):
    """No other credential kind authenticates, even one naming a staff member or device."""
    truck = await make_truck(adapters)
    owner = await make_staff(adapters, role=Role.OWNER)
    tablet = (await register_device(truck, owner)).device
    for n, subject in enumerate((owner.id, tablet.id)):
        secret = f"fxs_{n}" + "x" * 42
        async with adapters.uow() as uow:
            await uow.tokens.add(
                AccessToken(
                    id=adapters.ids.new_id(),
                    token_hash=hash_secret(secret),
                    kind=PrincipalKind.GATEWAY,
                    subject_id=subject,
                    created_at=clock.now(),
                )
            )
            await uow.commit()

        response = await client.get("/api/v1/me", headers=bearer(secret))

        assert response.status_code == 401


def test_a_customer_principal_left_in_the_request_is_not_taken():
    scope: dict = {}
    remember_principal(scope, CustomerPrincipal(customer_id=uuid4(), token_id=uuid4()))  # type: ignore[arg-type]
    assert authenticated_principal(scope) is None
