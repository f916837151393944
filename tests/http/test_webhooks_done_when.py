"""Issue 17's "done when" for webhooks: an endpoint that fails 5 times then recovers
receives every event, in order per shift, each once after deduplication by its id; a
dead-lettered delivery is replayed by hand and arrives.

Everything is real but the clock: the API registers the endpoint and takes the orders,
the delivery use case sends over a socket to a local receiver, and a manual clock walks
through the backoff and the day after which a delivery is parked.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.webhooks.httpx_sender import HttpxWebhookSender
from fusionx.core.model.shifts import Shift
from fusionx.core.model.webhooks import WebhookPolicy
from fusionx.core.rules.webhook_signatures import verify
from fusionx.core.use_cases.commands.deliver_webhooks import DeliverWebhooks
from fusionx.entrypoints.bootstrap import Adapters, in_memory_adapters
from fusionx.entrypoints.http.schemas.stream import public_data
from tests.http.conftest import Fleet, Headers, place, walk
from tests.support.webhook_receiver import Received, WebhookReceiver, serving

LAB = WebhookPolicy(allow_http=True, allow_private=True)
SUBSCRIBED = ["order.created", "ticket.state_changed", "shift.paused", "shift.resumed"]


@pytest.fixture
def adapters(clock: ManualClock) -> Adapters:
    # The receiver is on this machine, over plain http: what the operator setting allows.
    return dataclasses.replace(in_memory_adapters(clock), webhook_policy=LAB)


@pytest.fixture
async def sender() -> Any:
    sender = HttpxWebhookSender(timeout_seconds=5)
    yield sender
    await sender.close()


def deliverer(adapters: Adapters, sender: HttpxWebhookSender) -> DeliverWebhooks:
    return DeliverWebhooks(
        adapters.uow, adapters.clock, adapters.webhook_resolver, sender, public_data, LAB,
        jitter=random.Random(17).random,
    )  # fmt: skip


async def drain(deliver: DeliverWebhooks, clock: ManualClock, *, until: Callable[[], bool]) -> int:
    """Run the sender as the workers would, the clock jumping past each backoff (an hour,
    the longest), until ``until``; how many hours went by."""
    for hour in range(48):
        while await deliver.run_once():
            pass
        if until():
            return hour
        clock.advance(timedelta(hours=1))
    raise AssertionError("the deliveries never settled")


async def logged(adapters: Adapters, shift: Shift) -> list[tuple[str, str]]:
    """The shift's logged events of the subscribed types: (id, type), in seq order."""
    async with adapters.reader() as uow:
        events = await uow.events.since(shift.id, 0)
    return [(f"{e.shift_id}:{e.seq}", e.type.value) for e in events if e.type.value in SUBSCRIBED]


def deduped(received: list[Received], shift: Shift) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for request in received:
        event = request.event
        if event["shift_id"] == str(shift.id):
            seen.setdefault(event["id"], event["type"])
    return list(seen.items())


async def test_a_failing_then_recovering_endpoint_gets_every_event_in_order_and_a_dead_letter_on_replay(  # noqa: E501, PLR0915, PLR0917
    client: AsyncTestClient[Litestar],
    adapters: Adapters,
    clock: ManualClock,
    fleet: Fleet,
    taco_shift: Shift,
    check_in: Callable[..., Awaitable[Shift]],
    manager: Headers,
    sign_in: Callable[..., Awaitable[Headers]],
    restock: Callable[..., Awaitable[None]],
    sender: HttpxWebhookSender,
) -> None:
    owner = await sign_in(fleet.owner)
    receiver = WebhookReceiver(fail_first=5)
    with serving(receiver) as base:
        created = await client.post(
            "/api/v1/webhooks/endpoints",
            json={"url": f"{base}/fusionx", "event_types": SUBSCRIBED},
            headers=owner,
        )
        assert created.status_code == 201, created.text
        endpoint, secret = created.json()["id"], created.json()["secret"]

        # Two shifts' worth of events, interleaved: orders, tickets moving, a pause.
        curry_shift = await check_in(fleet.curry, by=fleet.curry_manager)
        curry_manager = await sign_in(fleet.curry_manager)
        await restock(taco_shift, fleet.burrito, 20, manager)
        await restock(curry_shift, fleet.burrito, 20, curry_manager)
        for _ in range(3):
            taco = await place(client, taco_shift, manager, (fleet.burrito, 1))
            curry = await place(client, curry_shift, curry_manager, (fleet.burrito, 2))
            await walk(client, taco["ticket"], manager, "in_prep", "ready")
            await walk(client, curry["ticket"], curry_manager, "in_prep")
        paused = await client.post(f"/api/v1/shifts/{taco_shift.id}/pause", headers=manager)
        assert paused.status_code == 200, paused.text
        expected = {s.id: await logged(adapters, s) for s in (taco_shift, curry_shift)}
        total = sum(len(events) for events in expected.values())
        assert total == 3 * (3 + 2) + 1  # each shift: orders, their moves; one pause

        deliver = deliverer(adapters, sender)
        await drain(deliver, clock, until=lambda: len(receiver.accepted) >= total)

    # Five failures, then every event: once each by id, in its shift's order.
    assert [r.status for r in receiver.received[:5]] == [500] * 5
    assert len(receiver.received) >= total + 5
    for shift in (taco_shift, curry_shift):
        assert deduped(receiver.received, shift) == expected[shift.id]
        # As sent, too: an event never arrives before an earlier one of its shift is taken.
        arrivals = [
            r.event["seq"] for r in receiver.received if r.event["shift_id"] == str(shift.id)
        ]
        assert arrivals == sorted(arrivals)
    for request in receiver.received:
        header = request.headers["fusionx-signature"]
        stamp = int(header.split(",")[0].removeprefix("t="))
        assert verify(secret, header, request.body, now=stamp)
        assert request.headers["fusionx-event-id"] == request.event["id"]
        assert set(request.event) == {"id", "type", "occurred_at", "shift_id", "seq", "data"}
    first = receiver.accepted[0].event
    assert first["type"] == "order.created"
    assert "customer_phone" not in first["data"]["order"]  # the stream's public payload

    # A receiver down for more than a day: the delivery is parked, then replayed by hand.
    receiver = WebhookReceiver(down=True)
    with serving(receiver) as base:
        moved = await client.patch(
            f"/api/v1/webhooks/endpoints/{endpoint}", json={"url": f"{base}/fusionx"}, headers=owner
        )
        assert moved.status_code == 200, moved.text
        late = await place(client, curry_shift, curry_manager, (fleet.burrito, 1))
        deliveries = f"/api/v1/webhooks/endpoints/{endpoint}/deliveries"

        async def dead() -> list[dict[str, Any]]:
            # Signed in afresh: a day goes by, longer than a session lasts.
            owner = await sign_in(fleet.owner)
            response = await client.get(deliveries, params={"state": "dead"}, headers=owner)
            assert response.status_code == 200, response.text
            items: list[dict[str, Any]] = response.json()["items"]
            return items

        hours = 0
        while not await dead():
            while await deliver.run_once():
                pass
            clock.advance(timedelta(hours=1))
            hours += 1
            assert hours < 30, "not parked after a day"
        [parked] = await dead()
        assert parked["event_type"] == "order.created"
        assert parked["attempts"] > 5
        assert (parked["last_status"], parked["last_error"]) == (500, "HTTP 500")
        assert hours >= 24
        assert not receiver.accepted

        receiver.down = False
        owner = await sign_in(fleet.owner)
        replayed = await client.post(
            f"/api/v1/webhooks/deliveries/{parked['id']}/replay", headers=owner
        )
        assert replayed.status_code == 200, replayed.text
        assert replayed.json()["state"] == "pending"
        while await deliver.run_once():
            pass

    [arrived] = receiver.accepted
    assert arrived.event["data"]["order"]["id"] == late["order"]["id"]
    done = await client.get(deliveries, params={"state": "delivered"}, headers=owner)
    assert parked["id"] in [d["id"] for d in done.json()["items"]]
