"""Inviting staff by email: who may invite whom, the pending account, accepting."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.fleet_events import StaffInvitationAccepted, StaffInvited
from fusionx.core.model.staff import Role
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.ports.email_sender import EmailNotSent
from tests.factories import make_staff
from tests.http.accounts_helpers import fleet_log, last_token_to, logged_json, sent
from tests.http.conftest import Fleet, Headers, bearer

Client = AsyncTestClient[Litestar]
INVITE = "/api/v1/staff/invitations"
ACCEPT = "/api/v1/auth/invitations/accept"
PASSWORD = "the invitee's own passphrase"


def invitation(role: str, *trucks: Any, email: str = "new@example.test") -> dict[str, Any]:
    return {
        "email": email,
        "name": "New Person",
        "role": role,
        "truck_ids": [str(truck.id) for truck in trucks],
    }


@pytest.fixture
async def owner(sign_in: Callable[..., Awaitable[Headers]], fleet: Fleet) -> Headers:
    return await sign_in(fleet.owner)


async def test_an_invitation_makes_a_pending_account_and_mails_its_link(
    client: Client, adapters: Adapters, fleet: Fleet, owner: Headers
) -> None:
    response = await client.post(INVITE, json=invitation("manager", fleet.taco), headers=owner)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["active"] is False
    assert (body["email"], body["role"], body["truck_ids"]) == (
        "new@example.test", "manager", [str(fleet.taco.id)]
    )  # fmt: skip
    [message] = sent(adapters).to("new@example.test")
    assert fleet.owner.name in message.subject
    assert "7 days" in message.text
    signing_in = await client.post(
        "/api/v1/auth/login", json={"email": "new@example.test", "password": PASSWORD}
    )
    assert signing_in.status_code == 401
    [invited] = [e for e in await fleet_log(adapters) if isinstance(e.data, StaffInvited)]
    assert invited.actor is not None
    assert invited.actor.id == fleet.owner.id
    assert last_token_to(adapters, "new@example.test") not in logged_json([invited])


async def test_accepting_activates_the_account_and_signs_the_invitee_in(
    client: Client, adapters: Adapters, fleet: Fleet, owner: Headers
) -> None:
    await client.post(INVITE, json=invitation("crew", fleet.curry), headers=owner)
    token = last_token_to(adapters, "new@example.test")

    accepted = await client.post(ACCEPT, json={"token": token, "password": PASSWORD, "name": "Neo"})
    again = await client.post(ACCEPT, json={"token": token, "password": PASSWORD})

    assert accepted.status_code == 200, accepted.text
    session = accepted.json()
    assert session["token"].startswith("fxs_")
    assert session["staff"]["name"] == "Neo"
    me = await client.get("/api/v1/me", headers=bearer(session["token"]))
    assert me.json()["truck_ids"] == [str(fleet.curry.id)]
    login = await client.post(
        "/api/v1/auth/login", json={"email": "new@example.test", "password": PASSWORD}
    )
    assert login.status_code == 200
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "token"
    [event] = [e for e in await fleet_log(adapters) if isinstance(e.data, StaffInvitationAccepted)]
    assert (event.data.before.active, event.data.after.active) == (False, True)
    assert (event.data.before.name, event.data.after.name) == ("New Person", "Neo")
    assert PASSWORD not in logged_json([event])


async def test_deactivating_a_pending_invitee_withdraws_the_invitation(
    client: Client, adapters: Adapters, fleet: Fleet, owner: Headers
) -> None:
    invited = await client.post(INVITE, json=invitation("crew", fleet.curry), headers=owner)
    token = last_token_to(adapters, "new@example.test")

    withdrawn = await client.post(f"/api/v1/staff/{invited.json()['id']}/deactivate", headers=owner)
    accepted = await client.post(ACCEPT, json={"token": token, "password": PASSWORD})

    assert withdrawn.status_code == 200, withdrawn.text
    assert accepted.status_code == 422
    assert accepted.json()["errors"][0]["field"] == "token"


async def test_an_invitation_expires_after_seven_days(
    client: Client, adapters: Adapters, clock: ManualClock, owner: Headers
) -> None:
    await client.post(INVITE, json=invitation("admin"), headers=owner)
    token = last_token_to(adapters, "new@example.test")
    clock.advance(timedelta(days=7))

    late = await client.post(ACCEPT, json={"token": token, "password": PASSWORD})

    assert late.status_code == 422


@pytest.mark.parametrize(
    ("inviter", "role", "truck", "status"),
    [
        ("owner", "owner", None, 201),
        ("owner", "admin", None, 201),
        ("admin", "admin", None, 201),
        ("admin", "manager", "curry", 201),
        ("admin", "owner", None, 403),
        ("taco_manager", "crew", "taco", 201),
        ("taco_manager", "crew", None, 422),
        ("taco_manager", "crew", "curry", 404),
        ("taco_manager", "manager", "taco", 403),
        ("taco_crew", "crew", "taco", 403),
    ],
)
async def test_who_may_invite_whom(  # noqa: PLR0917 - fixtures and parameters
    client: Client,
    adapters: Adapters,
    fleet: Fleet,
    sign_in: Callable[..., Awaitable[Headers]],
    inviter: str,
    role: str,
    truck: str | None,
    status: int,
) -> None:
    if inviter == "admin":
        caller = await make_staff(adapters, role=Role.ADMIN)
    else:
        caller = getattr(fleet, inviter)
    trucks = [] if truck is None else [getattr(fleet, truck)]

    response = await client.post(
        INVITE, json=invitation(role, *trucks), headers=await sign_in(caller)
    )

    assert response.status_code == status, response.text
    assert len(sent(adapters).sent) == (1 if status == 201 else 0)


async def test_a_device_may_not_invite(
    client: Client, fleet: Fleet, taco_device: Headers, adapters: Adapters
) -> None:
    response = await client.post(INVITE, json=invitation("crew", fleet.taco), headers=taco_device)
    assert response.status_code == 403
    assert (await client.post(INVITE, json=invitation("crew", fleet.taco))).status_code == 401


async def test_an_unknown_truck_is_404_and_a_taken_email_409(
    client: Client, adapters: Adapters, fleet: Fleet, owner: Headers
) -> None:
    body = invitation("crew") | {"truck_ids": ["0190d1c4-0000-7000-8000-000000000000"]}
    unknown = await client.post(INVITE, json=body, headers=owner)
    taken = await client.post(
        INVITE, json=invitation("crew", email=fleet.taco_crew.email.upper()), headers=owner
    )

    assert unknown.status_code == 404
    assert taken.status_code == 409
    assert taken.json()["field"] == "email"
    assert sent(adapters).sent == []


async def test_a_refused_message_keeps_nothing_and_the_invitation_may_be_sent_again(
    client: Client, adapters: Adapters, owner: Headers
) -> None:
    sent(adapters).refusals.append(EmailNotSent("the mail server answered 451", permanent=False))

    refused = await client.post(INVITE, json=invitation("admin"), headers=owner)
    retried = await client.post(INVITE, json=invitation("admin"), headers=owner)

    assert refused.status_code == 502
    assert refused.json()["type"] == "/problems/email-not-sent"
    assert retried.status_code == 201
    assert len(sent(adapters).to("new@example.test")) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "N", "role": "crew"}, "email"),
        ({"email": "nope", "name": "N", "role": "crew"}, "email"),
        ({"email": "a@b.io", "name": "  ", "role": "crew"}, "name"),
        ({"email": "a@b.io", "name": "N", "role": "chef"}, "role"),
        ({"email": "a@b.io", "name": "N", "role": "crew", "truck_ids": ["x"]}, "truck_ids"),
        ({"email": "a@b.io", "name": "N", "role": "crew", "password": "x" * 12}, "password"),
    ],
)
async def test_bad_invitations_name_the_field(
    client: Client, owner: Headers, body: dict[str, Any], field: str
) -> None:
    response = await client.post(INVITE, json=body, headers=owner)

    assert response.status_code in (400, 422), response.text
    assert any(e["field"].startswith(field) for e in response.json()["errors"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": PASSWORD}, "token"),
        ({"token": "fxe_unknown", "password": PASSWORD}, "token"),
        ({"token": "fxe_unknown", "password": "short"}, "password"),
        ({"token": "fxe_unknown", "password": PASSWORD, "name": " "}, "name"),
        ({"token": "fxe_unknown", "password": PASSWORD, "name": 3}, "name"),
    ],
)
async def test_bad_acceptances_name_the_field(
    client: Client, body: dict[str, Any], field: str
) -> None:
    response = await client.post(ACCEPT, json=body)

    assert response.status_code in (400, 422), response.text
    assert field in {e["field"] for e in response.json()["errors"]}
