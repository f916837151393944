"""End to end over a real SMTP server: an owner invites a manager, the message arrives,
the manager follows its link, chooses a password and signs in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from litestar.testing import AsyncTestClient

from fusionx.adapters.email.smtp import SmtpEmailSender
from fusionx.core.model.staff import Role
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.settings import Settings
from tests.factories import PASSWORD, make_staff, make_truck
from tests.http.accounts_helpers import token_in
from tests.http.conftest import bearer
from tests.support.smtp_server import SmtpServer

PUBLIC_URL = "https://fleet.example.test"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


async def test_an_invited_manager_signs_in_through_the_emailed_link(
    adapters: Adapters, smtp: SmtpServer
) -> None:
    sender = SmtpEmailSender(
        host="127.0.0.1", port=smtp.port, sender="FusionX <no-reply@example.test>",
        starttls=False, timeout_seconds=5,
    )  # fmt: skip
    adapters = replace(adapters, email=sender, email_later=sender, public_url=PUBLIC_URL)
    truck = await make_truck(adapters, "Taco Titan")
    owner = await make_staff(adapters, role=Role.OWNER)

    async with AsyncTestClient(create_app(Settings(), adapters)) as client:
        login = await client.post(
            "/api/v1/auth/login", json={"email": owner.email, "password": PASSWORD}
        )
        invited = await client.post(
            "/api/v1/staff/invitations",
            json={"email": "mia@example.test", "name": "Mia", "role": "manager",
                  "truck_ids": [str(truck.id)]},
            headers=bearer(login.json()["token"]),
        )  # fmt: skip
        assert invited.status_code == 201, invited.text

        [received] = smtp.received
        assert received.recipients == ["mia@example.test"]
        plain = received.message.get_body(("plain",))
        html = received.message.get_body(("html",))
        assert plain is not None
        assert html is not None
        text = plain.get_content()  # type: ignore[attr-defined]
        assert f"{PUBLIC_URL}/account/accept-invitation#token=" in text
        token = token_in(text)
        assert token_in(html.get_content()) == token  # type: ignore[attr-defined]

        accepted = await client.post(
            "/api/v1/auth/invitations/accept",
            json={"token": token, "password": "Mia's own passphrase"},
        )
        assert accepted.status_code == 200, accepted.text
        signed_in = await client.post(
            "/api/v1/auth/login",
            json={"email": "mia@example.test", "password": "Mia's own passphrase"},
        )
        assert signed_in.status_code == 200
        me = await client.get("/api/v1/me", headers=bearer(signed_in.json()["token"]))
        assert (me.json()["role"], me.json()["truck_ids"]) == ("manager", [str(truck.id)])
