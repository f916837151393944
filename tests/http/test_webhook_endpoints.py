"""Webhook endpoints through the API: who may manage them, what a URL may be, a secret
shown once and nowhere else, and a delivery refused when its host has moved."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.memory.webhooks import StaticHostResolver
from fusionx.core.model.shifts import Shift
from fusionx.core.use_cases.commands.deliver_webhooks import DeliverWebhooks
from fusionx.entrypoints.bootstrap import Adapters, in_memory_adapters
from fusionx.entrypoints.http.schemas.stream import public_data
from fusionx.ports.webhook_sender import OutgoingWebhook, WebhookAnswer
from tests.http.conftest import Fleet, Headers, LogLines, place

ENDPOINTS = "/api/v1/webhooks/endpoints"
BODY = {"url": "https://hooks.partner.example/fusionx", "event_types": ["order.created"]}


class RecordingSender:
    """Keeps what would have been sent; answers 200."""

    def __init__(self) -> None:
        self.sent: list[OutgoingWebhook] = []

    async def send(self, request: OutgoingWebhook) -> WebhookAnswer:
        self.sent.append(request)
        return WebhookAnswer(status=200)


@pytest.fixture
def resolver() -> StaticHostResolver:
    return StaticHostResolver()


@pytest.fixture
def adapters(clock: ManualClock, resolver: StaticHostResolver) -> Adapters:
    return dataclasses.replace(in_memory_adapters(clock), webhook_resolver=resolver)


@pytest.fixture
async def owner(sign_in: Callable[..., Awaitable[Headers]], fleet: Fleet) -> Headers:
    return await sign_in(fleet.owner)


async def test_an_owner_registers_reads_changes_rotates_and_removes_an_endpoint(
    client: AsyncTestClient[Litestar], owner: Headers
) -> None:
    created = await client.post(ENDPOINTS, json={**BODY, "description": "Books"}, headers=owner)
    assert created.status_code == 201, created.text
    endpoint = created.json()
    assert endpoint["secret"].startswith("whsec_")
    assert created.headers["Cache-Control"] == "no-store"
    one = f"{ENDPOINTS}/{endpoint['id']}"

    shown = (await client.get(one, headers=owner)).json()
    listed = (await client.get(ENDPOINTS, params={"limit": 1}, headers=owner)).json()
    assert "secret" not in shown
    assert shown == {k: v for k, v in endpoint.items() if k != "secret"}
    assert (listed["items"], listed["total"]) == ([shown], 1)

    changed = await client.patch(
        one, json={"active": False, "event_types": ["ticket.state_changed"]}, headers=owner
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["active"], changed.json()["event_types"]) == (
        False,
        ["ticket.state_changed"],
    )
    rotated = await client.post(f"{one}/secret", headers=owner)
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["secret"] not in (endpoint["secret"], None)

    assert (await client.delete(one, headers=owner)).status_code == 204
    assert (await client.delete(one, headers=owner)).status_code == 204  # already gone
    assert (await client.get(one, headers=owner)).status_code == 404
    assert (await client.get(ENDPOINTS, headers=owner)).json()["total"] == 0


async def test_the_secret_is_in_no_audit_record_nor_log_line(
    client: AsyncTestClient[Litestar], owner: Headers, log_lines: LogLines
) -> None:
    created = (await client.post(ENDPOINTS, json=BODY, headers=owner)).json()
    rotated = (await client.post(f"{ENDPOINTS}/{created['id']}/secret", headers=owner)).json()

    trail = await client.get(
        "/api/v1/audit", params={"subject_type": "webhook_endpoint"}, headers=owner
    )

    assert [r["action"] for r in trail.json()["items"]] == [
        "webhook.secret_rotated",
        "webhook.endpoint_created",
    ]
    assert created["secret"] not in trail.text
    assert rotated["secret"] not in trail.text
    assert "webhooks/endpoints" in log_lines.text  # the requests were logged...
    assert created["secret"] not in log_lines.text  # ...without what they answered
    assert rotated["secret"] not in log_lines.text


async def test_managers_crews_and_devices_may_not(
    client: AsyncTestClient[Litestar], manager: Headers
) -> None:
    refused = await client.post(ENDPOINTS, json=BODY, headers=manager)
    assert refused.status_code == 403
    assert (await client.get(ENDPOINTS, headers=manager)).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "url": "https://169.254.169.254/latest/meta-data/"}, "url"),
        ({**BODY, "url": "https://[::ffff:127.0.0.1]/"}, "url"),
        ({**BODY, "url": "http://hooks.partner.example/"}, "url"),
        ({**BODY, "url": "https://user:pw@hooks.partner.example/"}, "url"),
        ({**BODY, "event_types": []}, "event_types"),
        ({**BODY, "event_types": ["order.exploded"]}, "event_types"),
        ({**BODY, "description": "   "}, "description"),
    ],
)
async def test_a_bad_endpoint_is_a_problem_naming_the_field(
    client: AsyncTestClient[Litestar], owner: Headers, body: dict[str, Any], field: str
) -> None:
    response = await client.post(ENDPOINTS, json=body, headers=owner)

    assert response.status_code in {400, 422}, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert field in response.text
    assert (await client.get(ENDPOINTS, headers=owner)).json()["total"] == 0


async def test_a_host_that_moved_to_a_private_address_is_not_sent_to(  # noqa: PLR0917
    client: AsyncTestClient[Litestar],
    adapters: Adapters,
    clock: ManualClock,
    resolver: StaticHostResolver,
    owner: Headers,
    fleet: Fleet,
    taco_shift: Shift,
    manager: Headers,
    restock: Callable[..., Awaitable[None]],
) -> None:
    created = (await client.post(ENDPOINTS, json=BODY, headers=owner)).json()
    await restock(taco_shift, fleet.burrito, 5, manager)
    await place(client, taco_shift, manager, (fleet.burrito, 1))
    sender = RecordingSender()
    deliver = DeliverWebhooks(
        adapters.uow, adapters.clock, resolver, sender, public_data, adapters.webhook_policy
    )
    resolver.point("hooks.partner.example", "10.0.0.7")  # DNS rebinding, after the check

    assert await deliver.run_once() == 1

    assert sender.sent == []
    deliveries = await client.get(f"{ENDPOINTS}/{created['id']}/deliveries", headers=owner)
    [delivery] = deliveries.json()["items"]
    assert delivery["state"] == "pending"
    assert delivery["attempts"] == 1
    assert "webhook.url_private" in delivery["last_error"]
    assert "10.0.0.7" in delivery["last_error"]

    resolver.point("hooks.partner.example", "93.184.215.14")
    clock.advance(timedelta(hours=1))  # past any backoff
    assert await deliver.run_once() == 1
    [sent] = sender.sent
    assert sent.address == "93.184.215.14"  # the address checked, not a fresh lookup
    assert sent.url == BODY["url"]


async def test_deliveries_filter_by_state_and_replay_in_bulk(  # noqa: PLR0917
    client: AsyncTestClient[Litestar],
    adapters: Adapters,
    resolver: StaticHostResolver,
    owner: Headers,
    fleet: Fleet,
    taco_shift: Shift,
    manager: Headers,
    restock: Callable[..., Awaitable[None]],
) -> None:
    created = (await client.post(ENDPOINTS, json=BODY, headers=owner)).json()
    await restock(taco_shift, fleet.burrito, 5, manager)
    for _ in range(2):
        await place(client, taco_shift, manager, (fleet.burrito, 1))
    deliver = DeliverWebhooks(
        adapters.uow, adapters.clock, resolver, RecordingSender(), public_data,
        adapters.webhook_policy,
    )  # fmt: skip
    while await deliver.run_once():
        pass
    deliveries = f"{ENDPOINTS}/{created['id']}/deliveries"

    done = await client.get(deliveries, params={"state": "delivered"}, headers=owner)
    seqs = [d["seq"] for d in done.json()["items"]]
    assert (len(seqs), seqs) == (2, sorted(seqs, reverse=True))  # newest first
    assert all(d["last_status"] == 200 for d in done.json()["items"])
    none = await client.get(deliveries, params={"state": "dead"}, headers=owner)
    assert none.json()["total"] == 0
    naive = await client.get(deliveries, params={"since": "2026-01-05T12:00:00"}, headers=owner)
    assert naive.status_code in {400, 422}
    assert "since" in naive.text

    replayed = await client.post(
        f"{ENDPOINTS}/{created['id']}/replay", json={"state": "delivered"}, headers=owner
    )
    assert replayed.json() == {"replayed": 2}
    pending = await client.get(deliveries, params={"state": "pending"}, headers=owner)
    assert pending.json()["total"] == 2
