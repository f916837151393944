"""Changing one's email address: confirmed by a link sent to the new address."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.adapters.email.unconfigured import UnconfiguredEmailSender
from fusionx.core.model.fleet_events import StaffEmailChanged
from fusionx.core.model.staff import Role
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.settings import Settings
from tests.factories import PASSWORD, make_staff
from tests.http.accounts_helpers import fleet_log, last_token_to, sent
from tests.http.conftest import Headers

Client = AsyncTestClient[Litestar]
CHANGE = "/api/v1/me/email"
CONFIRM = "/api/v1/auth/email/confirm"


@pytest.fixture
async def crew(adapters: Adapters, sign_in: Callable[..., Awaitable[Headers]]) -> Headers:
    return await sign_in(await make_staff(adapters, role=Role.CREW, email="old@example.test"))


async def test_the_address_changes_only_when_the_new_one_confirms(
    client: Client, adapters: Adapters, crew: Headers
) -> None:
    asked = await client.post(
        CHANGE, json={"new_email": "New@Example.test", "password": PASSWORD}, headers=crew
    )
    assert asked.status_code == 202, asked.text
    assert (await client.get("/api/v1/me", headers=crew)).json()["email"] == "old@example.test"
    token = last_token_to(adapters, "New@Example.test")
    assert sent(adapters).to("old@example.test") == []

    confirmed = await client.post(CONFIRM, json={"token": token})
    again = await client.post(CONFIRM, json={"token": token})

    assert confirmed.status_code == 204, confirmed.text
    assert again.status_code == 422
    me = await client.get("/api/v1/me", headers=crew)  # sessions stay
    assert me.json()["email"] == "New@Example.test"
    [event] = [e for e in await fleet_log(adapters) if isinstance(e.data, StaffEmailChanged)]
    assert (event.data.before, event.data.after) == ("old@example.test", "New@Example.test")


async def test_the_current_password_is_required(client: Client, crew: Headers) -> None:
    response = await client.post(
        CHANGE, json={"new_email": "new@example.test", "password": "not my password"}, headers=crew
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "password"


async def test_an_address_taken_meanwhile_is_a_409_naming_the_field(
    client: Client, adapters: Adapters, crew: Headers
) -> None:
    await make_staff(adapters, email="taken@example.test")
    taken = await client.post(
        CHANGE, json={"new_email": "TAKEN@example.test", "password": PASSWORD}, headers=crew
    )
    assert taken.status_code == 409
    assert taken.json()["field"] == "new_email"

    await client.post(
        CHANGE, json={"new_email": "later@example.test", "password": PASSWORD}, headers=crew
    )
    token = last_token_to(adapters, "later@example.test")
    await make_staff(adapters, email="later@example.test")
    clash = await client.post(CONFIRM, json={"token": token})

    assert clash.status_code == 409
    assert clash.json()["field"] == "email"
    assert (await client.get("/api/v1/me", headers=crew)).json()["email"] == "old@example.test"


async def test_without_a_mail_server_the_change_is_503_and_nothing_is_kept(
    adapters: Adapters, crew: Headers
) -> None:
    app = create_app(Settings(), replace(adapters, email=UnconfiguredEmailSender()))
    async with AsyncTestClient(app) as client:
        response = await client.post(
            CHANGE, json={"new_email": "new@example.test", "password": PASSWORD}, headers=crew
        )
    assert response.status_code == 503
    assert response.json()["type"] == "/problems/not-configured"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": PASSWORD}, "new_email"),
        ({"new_email": "not-an-address", "password": PASSWORD}, "new_email"),
        ({"new_email": "old@example.test", "password": PASSWORD}, "new_email"),
        ({"new_email": "new@example.test"}, "password"),
        ({"new_email": "new@example.test", "password": ""}, "password"),
    ],
)
async def test_bad_changes_name_the_field(
    client: Client, crew: Headers, body: dict[str, Any], field: str
) -> None:
    response = await client.post(CHANGE, json=body, headers=crew)

    assert response.status_code in (400, 422), response.text
    assert field in {e["field"] for e in response.json()["errors"]}


@pytest.mark.parametrize(("body", "field"), [({}, "token"), ({"token": "fxe_x"}, "token")])
async def test_bad_confirmations_name_the_field(
    client: Client, body: dict[str, Any], field: str
) -> None:
    response = await client.post(CONFIRM, json=body)

    assert response.status_code in (400, 422), response.text
    assert field in {e["field"] for e in response.json()["errors"]}
