"""Issue 15's story, end to end on PostgreSQL: from a fresh database and only the first
``create-staff``, an owner invites an operations admin by email (the link arrives at a
real SMTP server), who chooses a password, creates a truck and a location with hours and
invites a crew member; every step is on the audit trail, ``fusionx audit verify`` passes,
and fails once a row is altered by hand."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from fusionx.adapters.email.smtp import SmtpEmailSender
from fusionx.entrypoints.cli import main
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.settings import Settings
from tests.entrypoints.test_cli_audit import _alter_by_hand
from tests.http.accounts_helpers import token_in
from tests.http.conftest import bearer
from tests.support.postgres import scratch_database
from tests.support.smtp_server import SmtpServer
from tests.support.wiring import sql_wiring

pytestmark = pytest.mark.postgres

OWNER = {"email": "ana@example.test", "password": "the first owner's passphrase"}
HOURS = {"weekly": [{"day": day, "opens": "11:00", "closes": "22:00"} for day in ("fri", "sat")]}


@pytest.fixture
def database_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    loop = asyncio.new_event_loop()
    scratch = scratch_database("fusionx_first_owner")
    try:
        url = loop.run_until_complete(scratch.__aenter__())
        monkeypatch.setenv("FUSIONX_DATABASE_URL", url)
        yield url
    finally:
        loop.run_until_complete(scratch.__aexit__(None, None, None))
        loop.close()


def test_a_new_owner_runs_the_fleet_from_the_api_and_the_trail_holds(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    first = ["create-staff", "--email", OWNER["email"], "--password", OWNER["password"]]
    assert main([*first, "--name", "Ana", "--role", "owner"]) == 0
    capsys.readouterr()

    with SmtpServer() as smtp:
        actions = asyncio.run(_the_story(database_url, smtp))

    assert actions == [
        "staff.created",  # the first owner, from the command line
        "staff.invited",
        "staff.invitation_accepted",
        "truck.created",
        "location.created",
        "location.hours_set",
        "staff.invited",
        "staff.invitation_accepted",
    ]
    assert main(["audit", "verify"]) == 0
    assert "audit trail intact" in capsys.readouterr().out

    forged = "UPDATE fleet_events SET address = '198.51.100.66' WHERE stream = 'fleet' AND seq = 3"
    asyncio.run(_alter_by_hand(database_url, forged))
    assert main(["audit", "verify"]) == 1


async def _the_story(url: str, smtp: SmtpServer) -> list[str]:
    sender = SmtpEmailSender(
        host="127.0.0.1", port=smtp.port, sender="FusionX <no-reply@example.test>",
        starttls=False, timeout_seconds=5,
    )  # fmt: skip
    async with sql_wiring(Settings(database_url=url)) as wired:
        adapters = replace(wired, email=sender, email_later=sender)
        async with AsyncTestClient(create_app(Settings(), adapters)) as client:
            api = _Api(client)
            owner = await api.sign_in(OWNER["email"], OWNER["password"])
            ops = await api.invited(owner, smtp, "omar@example.test", "Omar", "admin", [])

            truck = await api.call(ops, "POST", "/api/v1/trucks", {"name": "Taco Titan"}, 201)
            place = {"name": "Harbour", "timezone": "Europe/Lisbon", "latitude": 38.7,
                     "longitude": -9.14}  # fmt: skip
            location = await api.call(ops, "POST", "/api/v1/locations", place, 201)
            await api.call(ops, "PUT", f"/api/v1/locations/{location['id']}/hours", HOURS, 200)
            crew = await api.invited(ops, smtp, "cy@example.test", "Cy", "crew", [truck["id"]])
            me = await api.call(crew, "GET", "/api/v1/me", None, 200)
            assert (me["role"], me["truck_ids"]) == ("crew", [truck["id"]])

            trail = await api.call(owner, "GET", "/api/v1/audit?limit=100", None, 200)
    records = sorted(trail["items"], key=lambda record: (record["at"], record["seq"]))
    assert all(record["request_id"] for record in records[1:])  # all but the CLI's
    return [record["action"] for record in records]


class _Api:
    def __init__(self, client: AsyncTestClient[Any]) -> None:
        self._client = client

    async def call(
        self, headers: dict[str, str] | None, method: str, path: str, body: Any, status: int
    ) -> Any:
        response = await self._client.request(method, path, json=body, headers=headers)
        assert response.status_code == status, response.text
        return response.json() if response.content else None

    async def sign_in(self, email: str, password: str) -> dict[str, str]:
        login = {"email": email, "password": password}
        answer = await self.call(None, "POST", "/api/v1/auth/login", login, 200)
        return bearer(answer["token"])

    async def invited(  # noqa: PLR0917 - who invites whom, as what, where
        self,
        by: dict[str, str],
        smtp: SmtpServer,
        email: str,
        name: str,
        role: str,
        truck_ids: list[str],
    ) -> dict[str, str]:
        before = len(smtp.received)
        invitation = {"email": email, "name": name, "role": role, "truck_ids": truck_ids}
        await self.call(by, "POST", "/api/v1/staff/invitations", invitation, 201)
        [message] = smtp.received[before:]
        plain = message.message.get_body(("plain",))
        assert plain is not None
        token = token_in(plain.get_content())  # type: ignore[attr-defined]
        password = f"{name}'s own passphrase"
        accept = {"token": token, "password": password}
        await self.call(None, "POST", "/api/v1/auth/invitations/accept", accept, 200)
        return await self.sign_in(email, password)
