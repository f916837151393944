"""Password reset by email: no account enumeration, single use, every session ends."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.fleet_events import StaffPasswordReset
from fusionx.core.model.staff import Role
from fusionx.entrypoints.bootstrap import Adapters
from tests.factories import PASSWORD, make_staff
from tests.http.accounts_helpers import fleet_log, last_token_to, logged_json, sent
from tests.http.conftest import Headers

Client = AsyncTestClient[Litestar]
NEW_PASSWORD = "a brand new passphrase"
RESET = "/api/v1/auth/password-reset"
CONFIRM = "/api/v1/auth/password-reset/confirm"
INVITE = "/api/v1/staff/invitations"


async def test_known_and_unknown_emails_get_the_very_same_answer(
    client: Client, adapters: Adapters, clock: ManualClock
) -> None:
    staff = await make_staff(adapters, role=Role.CREW)

    known = await client.post(RESET, json={"email": staff.email.upper()})
    clock.advance(timedelta(minutes=16))
    unknown = await client.post(RESET, json={"email": "nobody@example.test"})

    assert known.status_code == unknown.status_code == 202
    assert known.content == unknown.content
    assert set(known.headers) == set(unknown.headers)
    assert [message.to for message in sent(adapters).sent] == [staff.email]


async def test_a_pending_account_gets_no_link(
    client: Client, adapters: Adapters, sign_in: Callable[..., Awaitable[Headers]]
) -> None:
    owner = await sign_in(await make_staff(adapters, role=Role.OWNER))
    body = {"email": "pending@example.test", "name": "Pat", "role": "admin"}
    assert (await client.post(INVITE, json=body, headers=owner)).status_code == 201

    answer = await client.post(RESET, json={"email": "pending@example.test"})

    assert answer.status_code == 202
    [invitation] = sent(adapters).to("pending@example.test")  # and no reset link
    assert invitation.subject.endswith("invited you to FusionX")


async def test_both_paths_do_the_same_work_and_take_alike_time(
    client: Client, adapters: Adapters, clock: ManualClock
) -> None:
    """The same ids drawn, the same message rendered; medians compared loosely."""
    staff = await make_staff(adapters, role=Role.CREW)
    ids_before = adapters.ids.new_id().int

    async def timed(email: str) -> float:
        clock.advance(timedelta(minutes=16))  # past the throttle's window
        started = time.perf_counter()
        response = await client.post(RESET, json={"email": email})
        assert response.status_code == 202
        return time.perf_counter() - started

    first = adapters.ids.new_id().int
    await timed(staff.email)
    known_ids = adapters.ids.new_id().int - first - 1
    first = adapters.ids.new_id().int
    await timed("nobody@example.test")
    unknown_ids = adapters.ids.new_id().int - first - 1
    assert known_ids == unknown_ids > 0, (ids_before, known_ids, unknown_ids)

    known, unknown = [], []
    for _ in range(15):
        known.append(await timed(staff.email))
        unknown.append(await timed("nobody@example.test"))
    ratio = statistics.median(known) / statistics.median(unknown)
    assert 1 / 3 < ratio < 3, (known, unknown)


async def test_requests_are_throttled_alike_for_known_and_unknown_emails(
    client: Client, adapters: Adapters
) -> None:
    staff = await make_staff(adapters, role=Role.CREW)
    for email in (staff.email, "nobody@example.test"):
        answers = [(await client.post(RESET, json={"email": email})).status_code for _ in range(4)]
        assert answers == [202, 202, 202, 429]
    refused = await client.post(RESET, json={"email": staff.email})
    assert int(refused.headers["Retry-After"]) > 0
    assert len(sent(adapters).sent) == 3


async def test_the_link_sets_the_password_once_and_ends_every_session(
    client: Client,
    adapters: Adapters,
    sign_in: Callable[..., Awaitable[Headers]],
) -> None:
    staff = await make_staff(adapters, role=Role.MANAGER)
    session = await sign_in(staff)
    await client.post(RESET, json={"email": staff.email})
    token = last_token_to(adapters, staff.email)
    message = sent(adapters).to(staff.email)[-1]
    assert "30 minutes" in message.text

    done = await client.post(CONFIRM, json={"token": token, "password": NEW_PASSWORD})
    again = await client.post(CONFIRM, json={"token": token, "password": NEW_PASSWORD + "!"})

    assert done.status_code == 204, done.text
    assert (await client.get("/api/v1/me", headers=session)).status_code == 401
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "token"
    await sign_in(staff, NEW_PASSWORD)
    old = await client.post("/api/v1/auth/login", json={"email": staff.email, "password": PASSWORD})
    assert old.status_code == 401
    events = [e for e in await fleet_log(adapters) if isinstance(e.data, StaffPasswordReset)]
    assert [(e.data.staff_id, e.actor and e.actor.id) for e in events] == [(staff.id, staff.id)]
    assert token not in logged_json(events)
    assert NEW_PASSWORD not in logged_json(events)


async def test_a_link_expires_after_thirty_minutes(
    client: Client, adapters: Adapters, clock: ManualClock
) -> None:
    staff = await make_staff(adapters, role=Role.CREW)
    await client.post(RESET, json={"email": staff.email})
    token = last_token_to(adapters, staff.email)

    clock.advance(timedelta(minutes=30))
    late = await client.post(CONFIRM, json={"token": token, "password": NEW_PASSWORD})

    assert late.status_code == 422
    assert late.json()["errors"][0]["field"] == "token"


async def test_a_newer_link_replaces_the_older(
    client: Client, adapters: Adapters, clock: ManualClock
) -> None:
    staff = await make_staff(adapters, role=Role.CREW)
    await client.post(RESET, json={"email": staff.email})
    older = last_token_to(adapters, staff.email)
    clock.advance(timedelta(minutes=1))
    await client.post(RESET, json={"email": staff.email})
    newer = last_token_to(adapters, staff.email)

    refused = await client.post(CONFIRM, json={"token": older, "password": NEW_PASSWORD})
    accepted = await client.post(CONFIRM, json={"token": newer, "password": NEW_PASSWORD})

    assert (refused.status_code, accepted.status_code) == (422, 204)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"token": "fxe_nothing", "password": "short"}, "password"),
        ({"token": "fxe_nothing", "password": NEW_PASSWORD}, "token"),
        ({"token": "", "password": NEW_PASSWORD}, "token"),
        ({"password": NEW_PASSWORD}, "token"),
        ({"token": "fxe_nothing"}, "password"),
        ({"token": 5, "password": NEW_PASSWORD}, "token"),
    ],
)
async def test_bad_confirmations_name_the_field(
    client: Client, body: dict[str, object], field: str
) -> None:
    response = await client.post(CONFIRM, json=body)

    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in {error["field"] for error in response.json()["errors"]}


@pytest.mark.parametrize(
    "body", [{}, {"email": ""}, {"email": "not an email"}, {"email": 7}, {"mail": "a@b.io"}]
)
async def test_bad_reset_requests_name_the_field(client: Client, body: dict[str, object]) -> None:
    response = await client.post(RESET, json=body)

    assert response.status_code in (400, 422), response.text
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields & {"email", "mail"}
