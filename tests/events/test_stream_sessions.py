"""An open stream ends the moment its credential stops working, however it stopped,
and no other stream does.

Pings are an hour apart here, and a close must arrive within the wait for one message:
what closes these streams is the revocation itself (or the expiry time), not the
periodic re-check at a ping. Each case has a bystander: the credential closest to the
one that ended, whose stream must go on.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.staff import Role
from fusionx.entrypoints.bootstrap import Adapters, in_memory_adapters
from fusionx.entrypoints.http.controllers.events import TIMING_STATE_KEY, EventStreamTiming
from tests.events.conftest import Shop, log_in
from tests.events.sockets import bearer, closed_with, released, silent, url
from tests.factories import PASSWORD, make_staff

SESSION_TTL = timedelta(seconds=0.3)
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def adapters(clock: ManualClock) -> Adapters:
    # Short sessions, so that the expiry case expires within the test (on the fake clock).
    return dataclasses.replace(in_memory_adapters(clock), session_ttl=SESSION_TTL)


@pytest.fixture(autouse=True)
def no_pings(app: Litestar) -> None:
    app.state[TIMING_STATE_KEY] = EventStreamTiming(ping_interval=3600, auth_timeout=0.3)


class Ending(NamedTuple):
    credential: str
    end: Callable[[], object]
    bystander: str  # a credential that must keep streaming


def device_revoked(shop: Shop, _client: TestClient[Litestar], _clock: ManualClock) -> Ending:
    device, other = shop.register_device(), shop.register_device()
    return Ending(device.credential, lambda: shop.revoke(device), other.credential)


def device_revoked_with_a_key(
    shop: Shop, client: TestClient[Litestar], _clock: ManualClock
) -> Ending:
    """Through the API with an Idempotency-Key: the revocation commits with the key's
    answer, and only then reaches the bus."""
    device, other = shop.register_device(), shop.register_device()
    headers = {**bearer(log_in(client, shop.world)), "Idempotency-Key": str(uuid4())}

    def revoke() -> None:
        response = client.delete(f"/api/v1/devices/{device.device.id}", headers=headers)
        assert response.status_code == 204, response.text

    return Ending(device.credential, revoke, other.credential)


def logged_out(shop: Shop, client: TestClient[Litestar], _clock: ManualClock) -> Ending:
    """Signed in twice: signing out of one session leaves the other."""
    token, other = log_in(client, shop.world), log_in(client, shop.world)
    return Ending(token, lambda: client.post("/api/v1/auth/logout", headers=bearer(token)), other)


def password_changed(shop: Shop, client: TestClient[Litestar], _clock: ManualClock) -> Ending:
    """Signed in on the tablet; the password is then changed from another session, which
    stays signed in."""
    token, changer = log_in(client, shop.world), log_in(client, shop.world)
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}

    def change() -> None:
        response = client.post("/api/v1/me/password", json=body, headers=bearer(changer))
        assert response.status_code == 204, response.text

    return Ending(token, change, changer)


def session_expired(shop: Shop, client: TestClient[Litestar], clock: ManualClock) -> Ending:
    """A device's credential does not expire."""
    token, device = log_in(client, shop.world), shop.register_device()
    return Ending(token, lambda: clock.advance(SESSION_TTL * 2), device.credential)


def _owner(shop: Shop, client: TestClient[Litestar]) -> dict[str, str]:
    owner = shop.run(functools.partial(make_staff, shop.adapters, role=Role.OWNER))
    response = client.post("/api/v1/auth/login", json={"email": owner.email, "password": PASSWORD})
    return bearer(response.json()["token"])


def _session_id(client: TestClient[Litestar], token: str) -> str:
    [current] = [
        session
        for session in client.get("/api/v1/me/sessions", headers=bearer(token)).json()["items"]
        if session["current"]
    ]
    return str(current["id"])


def deactivated(shop: Shop, client: TestClient[Litestar], _clock: ManualClock) -> Ending:
    """The manager is deactivated by an owner: the kitchen tablet they registered streams on."""
    token, device, owner = log_in(client, shop.world), shop.register_device(), _owner(shop, client)

    def deactivate() -> None:
        path = f"/api/v1/staff/{shop.world.manager.id}/deactivate"
        response = client.post(path, headers=owner)
        assert response.status_code == 200, response.text

    return Ending(token, deactivate, device.credential)


def session_revoked_by_an_owner(
    shop: Shop, client: TestClient[Litestar], _clock: ManualClock
) -> Ending:
    token, other, owner = (
        log_in(client, shop.world),
        log_in(client, shop.world),
        _owner(shop, client),
    )
    path = f"/api/v1/staff/{shop.world.manager.id}/sessions/{_session_id(client, token)}"

    def revoke() -> None:
        assert client.delete(path, headers=owner).status_code == 204

    return Ending(token, revoke, other)


def session_revoked_by_its_holder(
    shop: Shop, client: TestClient[Litestar], _clock: ManualClock
) -> Ending:
    """Ended from the manager's phone: the phone's own session goes on."""
    token, phone = log_in(client, shop.world), log_in(client, shop.world)
    path = f"/api/v1/me/sessions/{_session_id(client, token)}"

    def revoke() -> None:
        assert client.delete(path, headers=bearer(phone)).status_code == 204

    return Ending(token, revoke, phone)


@pytest.mark.parametrize(
    "ending",
    [
        device_revoked,
        device_revoked_with_a_key,
        logged_out,
        password_changed,
        session_expired,
        deactivated,
        session_revoked_by_an_owner,
        session_revoked_by_its_holder,
    ],
    ids=lambda ending: ending.__name__,
)
def test_a_stream_ends_with_4401_as_soon_as_its_credential_does(
    client: TestClient[Litestar],
    shop: Shop,
    adapters: Adapters,
    clock: ManualClock,
    ending: Callable[..., Ending],
) -> None:
    credential, end, bystander = ending(shop, client, clock)
    where = url(shop.world.shift.id, shop.log_length())
    with (
        client.websocket_connect(where, headers=bearer(credential)) as ending_stream,
        client.websocket_connect(where, headers=bearer(bystander)) as going_on,
    ):
        assert silent(ending_stream)  # connected and caught up
        end()
        code, reason = closed_with(ending_stream)
        placed = shop.place_order()
        assert going_on.receive_json(timeout=5)["data"]["order"]["id"] == str(placed.order.id)
    assert (code, reason) == (4401, "The credential is unknown, expired or revoked")
    assert released(adapters, shop.world.shift.id)
