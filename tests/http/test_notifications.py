"""The notification routes: push tokens, the truck's notification list, thresholds,
the staff profile and password, and the SMS provider's delivery reports."""

from __future__ import annotations

from uuid import UUID

import pytest

from fusionx.adapters.sms.twilio import TwilioCallbackVerifier, twilio_signature
from fusionx.entrypoints.bootstrap import Adapters, in_memory_adapters
from tests.http.conftest import order_body

TOKEN = "0a" * 32
CALLBACK = "https://api.fusionx.test/api/v1/sms/status"


@pytest.fixture
def adapters(clock) -> Adapters:
    import dataclasses  # noqa: PLC0415

    return dataclasses.replace(
        in_memory_adapters(clock), sms_callbacks=TwilioCallbackVerifier("sms-secret", CALLBACK)
    )


@pytest.fixture
async def stocked_shift(taco_shift, fleet, manager, restock):
    """Taco Titan's open shift, with ten burritos."""
    await restock(taco_shift, fleet.burrito, 10, manager)
    return taco_shift


async def test_a_device_registers_its_push_token_and_gets_each_new_order(
    client, fleet, manager, taco_device, stocked_shift
):
    taco_shift = stocked_shift
    response = await client.put(
        "/api/v1/devices/me/push-token",
        json={"token": TOKEN.upper(), "app_version": "3.1.0", "os_version": "18.2"},
        headers=taco_device,
    )
    assert response.status_code == 200, response.text
    assert response.json() | {"registered_at": None} == {
        "token": TOKEN, "platform": "ipados", "app_version": "3.1.0", "os_version": "18.2",
        "registered_at": None, "active": True,
    }  # fmt: skip

    placed = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/orders",
        json=order_body((fleet.burrito, 2)),
        headers=manager,
    )
    listing = await client.get(f"/api/v1/trucks/{fleet.taco.id}/notifications", headers=manager)

    assert placed.status_code == 201
    assert listing.status_code == 200
    body = listing.json()
    assert body["total"] == 1
    [notification] = body["items"]
    assert notification["kind"] == "new_order"
    assert notification["channel"] == "push"
    assert notification["recipient_kind"] == "device"
    assert notification["state"] == "pending"
    assert notification["title"] == f"New order #{placed.json()['order']['number']}"


async def test_a_bad_push_token_names_the_field(client, taco_device):
    response = await client.put(
        "/api/v1/devices/me/push-token",
        json={"token": "not-hex", "app_version": "3.1.0", "os_version": "18.2"},
        headers=taco_device,
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "token"


async def test_another_trucks_notifications_are_not_found(client, fleet, outsiders):
    for headers in outsiders:
        response = await client.get(
            f"/api/v1/trucks/{fleet.taco.id}/notifications", headers=headers
        )
        assert response.status_code == 404


async def test_another_trucks_notification_is_not_found_under_either_truck(
    client, fleet, manager, stocked_shift, outsiders
):
    await client.patch("/api/v1/me", json={"phone": "+15005550006"}, headers=manager)
    await client.post(
        f"/api/v1/shifts/{stocked_shift.id}/orders", json=order_body((fleet.burrito, 1)),
        headers=manager,
    )  # fmt: skip
    listing = await client.get(f"/api/v1/trucks/{fleet.taco.id}/notifications", headers=manager)
    [notification] = listing.json()["items"]

    curry_manager, curry_device = outsiders
    for truck, headers in [(fleet.taco, curry_manager), (fleet.curry, curry_manager),
                           (fleet.taco, curry_device)]:  # fmt: skip
        path = f"/api/v1/trucks/{truck.id}/notifications/{notification['id']}"
        assert (await client.get(path, headers=headers)).status_code == 404


async def test_a_manager_sets_a_shift_threshold_and_crew_may_not(
    client, fleet, manager, sign_in, taco_shift
):
    path = f"/api/v1/shifts/{taco_shift.id}/stock-thresholds/{fleet.burrito.id}"

    crew = await client.put(path, json={"threshold": 3}, headers=await sign_in(fleet.taco_crew))
    bad = await client.put(path, json={"threshold": -1}, headers=manager)
    done = await client.put(path, json={"threshold": 3}, headers=manager)

    assert crew.status_code == 403
    assert bad.status_code == 422
    assert done.status_code == 204


async def test_only_an_owner_or_admin_sets_an_items_default_threshold(
    client, fleet, manager, sign_in
):
    path = f"/api/v1/menu/items/{fleet.burrito.id}/low-stock-threshold"

    assert (await client.put(path, json={"threshold": 4}, headers=manager)).status_code == 403
    owner = await sign_in(fleet.owner)
    assert (await client.put(path, json={"threshold": 4}, headers=owner)).status_code == 204
    assert (await client.put(path, json={"threshold": None}, headers=owner)).status_code == 204


async def test_staff_change_their_name_phone_and_channels(client, fleet, manager):
    response = await client.patch(
        "/api/v1/me",
        json={
            "name": "Mia Chef",
            "phone": "+44 7700 900123",
            "notifications": {
                "channels": {"new_order": "none", "device_stale": "sms"},
                "quiet_hours": {"start": "22:00", "end": "07:00", "timezone": "Europe/London"},
            },
        },
        headers=manager,
    )
    again = await client.get("/api/v1/me", headers=manager)

    assert response.status_code == 200, response.text
    assert again.json() == response.json()
    body = again.json()
    assert (body["name"], body["phone"]) == ("Mia Chef", "+447700900123")
    assert body["notifications"] == {
        "channels": {
            "new_order": "none", "low_stock": "push", "sold_out": "push", "device_stale": "sms",
        },
        "quiet_hours": {"start": "22:00", "end": "07:00", "timezone": "Europe/London"},
    }  # fmt: skip

    removed = await client.patch("/api/v1/me", json={"phone": None}, headers=manager)
    assert removed.json()["phone"] is None
    assert removed.json()["name"] == "Mia Chef"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": "07700 900123"}, "phone"),
        ({"notifications": {"channels": {"new_order": "pigeon"}}}, "notifications.channels"),
        (
            {"notifications": {"quiet_hours": {"start": "22:00", "end": "7am"}}},
            "notifications.quiet_hours.end",
        ),
        (
            {"notifications": {"quiet_hours": {"start": "22:00", "end": "07:00",
                                               "timezone": "Mars/Olympus"}}},
            "notifications.quiet_hours.timezone",
        ),
    ],
)  # fmt: skip
async def test_bad_profile_changes_name_the_field(client, manager, body, field):
    response = await client.patch("/api/v1/me", json=body, headers=manager)

    assert response.status_code in (400, 422)
    assert any(error["field"].startswith(field) for error in response.json()["errors"])


async def test_a_device_has_no_profile_to_change(client, taco_device):
    response = await client.patch("/api/v1/me", json={"name": "Tablet"}, headers=taco_device)

    assert response.status_code == 403


async def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(
    client, fleet, sign_in
):
    here, elsewhere = await sign_in(fleet.taco_manager), await sign_in(fleet.taco_manager)
    new = "a brand new passphrase"

    wrong = await client.post(
        "/api/v1/me/password",
        json={"current_password": "not it at all", "new_password": new},
        headers=here,
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "current_password"
    from tests.factories import PASSWORD  # noqa: PLC0415

    changed = await client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": new},
        headers=here,
    )

    assert changed.status_code == 204
    assert (await client.get("/api/v1/me", headers=here)).status_code == 200
    assert (await client.get("/api/v1/me", headers=elsewhere)).status_code == 401
    assert await sign_in(fleet.taco_manager, password=new)


async def test_a_signed_delivery_report_is_recorded_and_a_forged_one_refused(
    client, adapters, fleet, manager, stocked_shift
):
    taco_shift = stocked_shift
    await client.patch("/api/v1/me", json={"phone": "+15005550006"}, headers=manager)
    await client.post(
        f"/api/v1/shifts/{taco_shift.id}/orders", json=order_body((fleet.burrito, 1)),
        headers=manager,
    )  # fmt: skip
    from tests.notifications.helpers import dispatcher  # noqa: PLC0415

    await dispatcher(adapters).run()
    listing = await client.get(f"/api/v1/trucks/{fleet.taco.id}/notifications", headers=manager)
    [sms] = listing.json()["items"]
    assert (sms["channel"], sms["state"]) == ("sms", "sent")
    async with adapters.uow() as uow:
        stored = await uow.outbox.get(UUID(sms["id"]))
    assert stored is not None
    sid = stored.provider_ref or ""
    report = {"MessageSid": sid, "MessageStatus": "delivered", "To": "+15005550006"}

    forged = await client.post(
        "/api/v1/sms/status", data=report, headers={"X-Twilio-Signature": "bm9wZQ=="}
    )
    signed = await client.post(
        "/api/v1/sms/status", data=report,
        headers={"X-Twilio-Signature": twilio_signature("sms-secret", CALLBACK, report)},
    )  # fmt: skip

    assert forged.status_code == 403
    assert signed.status_code == 204
    detail = await client.get(
        f"/api/v1/trucks/{fleet.taco.id}/notifications/{sms['id']}", headers=manager
    )
    assert detail.json()["delivery_status"] == "delivered"
    assert [(a["number"], a["outcome"]) for a in detail.json()["attempt_log"]] == [(1, "delivered")]


def test_the_signature_matches_the_vector_twilios_own_sdk_is_tested_with() -> None:
    params = {
        "CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234",
        "From": "+14158675309", "To": "+18005551212",
    }  # fmt: skip
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"

    assert twilio_signature("12345", url, params) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
