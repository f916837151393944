"""Online orders wait for the payment gateway; its signed notification sends them to the kitchen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.shifts import Shift
from fusionx.entrypoints.bootstrap import Adapters, in_memory_adapters
from fusionx.entrypoints.http.app import create_app
from tests.http.conftest import Headers, order_body
from tests.support.events import stored
from tests.support.gateway import SECRET, WEBHOOK, Gateway


@pytest.fixture
def adapters(clock) -> Adapters:
    return in_memory_adapters(clock, payment_webhook_secret=SECRET)


@dataclass
class Till:
    """Taco Titan's stocked shift, seen by its manager, and the gateway that pays for it."""

    client: AsyncTestClient[Litestar]
    adapters: Adapters
    clock: ManualClock
    shift: Shift
    manager: Headers
    gateway: Gateway = field(default_factory=Gateway)

    async def order(self, *lines: Any, channel: str = "online", **fields: Any) -> dict[str, Any]:
        response = await self.client.post(
            f"/api/v1/shifts/{self.shift.id}/orders",
            json=order_body(*lines, channel=channel, **fields),
            headers=self.manager,
        )
        assert response.status_code == 201, response.text
        return response.json()["order"]

    async def deliver(
        self,
        event: dict[str, Any] | bytes,
        *,
        at: datetime | None = None,
        secret: str | None = None,
    ) -> Any:
        body, headers = self.gateway.signed(event, at or self.clock.now(), secret)
        return await self.client.post(WEBHOOK, content=body, headers=headers)

    async def pay(self, order: dict[str, Any], amount: int | None = None, **kw: Any) -> str:
        event = self.gateway.event(
            order["id"], order["total_cents"] if amount is None else amount, **kw
        )
        response = await self.deliver(event)
        assert response.status_code == 200, response.text
        outcome: str = response.json()["outcome"]
        return outcome

    async def kitchen(self) -> list[dict[str, Any]]:
        response = await self.client.get(
            f"/api/v1/shifts/{self.shift.id}/tickets", headers=self.manager
        )
        assert response.status_code == 200
        return response.json()["tickets"]

    async def on_hand(self) -> dict[str, int]:
        response = await self.client.get(
            f"/api/v1/shifts/{self.shift.id}/menu", headers=self.manager
        )
        return {i["name"]: i["on_hand"] for c in response.json()["categories"] for i in c["items"]}

    async def events(self, after: int = 0) -> list[Any]:
        async with self.adapters.uow() as uow:
            return await uow.events.since(self.shift.id, after)

    async def event_types(self) -> list[str]:
        return [e.type.value for e in await self.events()]

    async def state(self, order: dict[str, Any]) -> str:
        async with self.adapters.uow() as uow:
            found = await uow.orders.get(UUID(order["id"]))
        assert found is not None
        return found.state.value


@pytest.fixture
async def till(client, adapters, clock, fleet, manager, taco_shift, restock) -> Till:  # noqa: PLR0917
    """3 burritos and 5 horchatas on hand (no quesadillas)."""
    await restock(taco_shift, fleet.burrito, 3, manager)
    await restock(taco_shift, fleet.horchata, 5, manager)
    return Till(client=client, adapters=adapters, clock=clock, shift=taco_shift, manager=manager)


FULL = {"Burrito": 3, "Quesadilla": 0, "Horchata": 5}


async def test_an_online_order_waits_for_payment_holding_its_stock_without_a_ticket(fleet, till):
    order = await till.order((fleet.burrito, 2))

    assert order["state"] == "awaiting_payment"
    assert order["channel"] == "online"
    assert order["total_cents"] == 1900
    assert await till.kitchen() == []
    # Held for it: the last units cannot be sold twice while it is being paid.
    assert await till.on_hand() == {**FULL, "Burrito": 1}
    assert (await till.event_types())[-2:] == ["order.awaiting_payment", "stock.changed"]


async def test_an_online_order_is_refused_when_already_short(fleet, till):
    response = await till.client.post(
        f"/api/v1/shifts/{till.shift.id}/orders",
        json=order_body((fleet.burrito, 4), channel="online"),
        headers=till.manager,
    )

    assert response.status_code == 409
    assert response.json()["shortages"][0]["available"] == 3


async def test_a_window_order_keeps_going_straight_to_the_kitchen(fleet, till):
    order = await till.order((fleet.burrito, 1), channel="window")

    assert order["state"] == "placed"
    assert len(await till.kitchen()) == 1


async def test_payment_keeps_the_held_stock_and_puts_the_ticket_on_the_kitchen_display(fleet, till):
    order = await till.order((fleet.burrito, 2), (fleet.horchata, 1), customer_name="Ana")
    before = len(await till.events())

    assert await till.pay(order) == "queued"

    [ticket] = await till.kitchen()
    assert (ticket["order_id"], ticket["number"], ticket["state"]) == (order["id"], 1, "new")
    assert ticket["customer_name"] == "Ana"
    assert await till.on_hand() == {"Burrito": 1, "Quesadilla": 0, "Horchata": 4}
    assert await till.state(order) == "placed"
    # Taken when the order was created: not a second time.
    assert (await till.event_types())[before:] == ["order.paid", "order.created"]


async def test_a_replayed_notification_answers_200_and_changes_nothing(fleet, till):
    order = await till.order((fleet.burrito, 1))
    event = till.gateway.event(order["id"], 950)
    assert (await till.deliver(event)).json() == {"outcome": "queued"}
    log = await till.events()

    again = await till.deliver(event)

    assert again.status_code == 200
    assert again.json() == {"outcome": "duplicate"}
    assert len(await till.kitchen()) == 1
    assert await till.on_hand() == {**FULL, "Burrito": 2}
    assert await till.events() == log


async def test_a_payment_after_the_item_sold_out_needs_a_refund_and_moves_no_stock(fleet, till):
    online = await till.order((fleet.burrito, 2), (fleet.horchata, 1))
    # Its payment failed: the units went back, and the window sold them.
    assert await till.pay(online, kind="payment.failed") == "payment_failed"
    window = await till.order((fleet.burrito, 2), channel="window")
    before = len(await till.events())

    assert await till.pay(online) == "needs_refund"

    assert await till.state(online) == "needs_refund"
    assert [t["order_id"] for t in await till.kitchen()] == [window["id"]]
    assert await till.on_hand() == {**FULL, "Burrito": 1}
    [refund] = await till.events(before)
    assert refund.type.value == "order.needs_refund"
    assert stored(refund)["reason"] == "out_of_stock"
    assert stored(refund)["shortages"] == [
        {"item_id": str(fleet.burrito.id), "requested": 2, "available": 1}
    ]


async def test_a_payment_of_the_wrong_amount_needs_a_refund(fleet, till):
    order = await till.order((fleet.burrito, 1))

    assert await till.pay(order, amount=900) == "needs_refund"

    assert await till.on_hand() == FULL
    assert stored((await till.events())[-1])["reason"] == "amount_mismatch"


async def test_a_payment_after_checkout_needs_a_refund(fleet, till):
    order = await till.order((fleet.burrito, 1))
    checkout = await till.client.post(
        f"/api/v1/shifts/{till.shift.id}/checkout", headers=till.manager
    )
    assert checkout.status_code == 200

    assert await till.pay(order) == "needs_refund"

    assert await till.state(order) == "needs_refund"
    assert stored((await till.events())[-1])["reason"] == "shift_closed"


async def test_a_failed_payment_leaves_the_order_waiting_for_a_retry(fleet, till):
    order = await till.order((fleet.burrito, 1))

    assert await till.pay(order, kind="payment.failed") == "payment_failed"

    assert await till.state(order) == "awaiting_payment"
    assert (await till.event_types())[-2:] == ["order.payment_failed", "stock.changed"]
    assert await till.on_hand() == FULL  # given back
    assert await till.pay(order) == "queued"  # the retry takes it again
    assert await till.on_hand() == {**FULL, "Burrito": 2}


async def test_a_second_payment_of_a_paid_order_changes_nothing(fleet, till):
    order = await till.order((fleet.burrito, 1))
    await till.pay(order)

    assert await till.pay(order) == "ignored"

    assert len(await till.kitchen()) == 1
    assert await till.on_hand() == {**FULL, "Burrito": 2}


async def test_events_of_other_kinds_and_for_unknown_orders_are_acknowledged(till):
    other = till.gateway.event(uuid4(), 100, kind="charge.dispute.created")

    assert (await till.deliver(other)).json() == {"outcome": "ignored"}
    assert await till.pay({"id": str(uuid4()), "total_cents": 100}) == "ignored"


def _without_signature(body: bytes, _headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    return body, {"Content-Type": "application/json"}


def _with_signature(value: str) -> Any:
    def tamper(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
        return body, {**headers, "Payment-Signature": value.format(headers["Payment-Signature"])}

    return tamper


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda body, headers: (body + b" ", headers), id="body-changed"),
        pytest.param(_without_signature, id="no-header"),
        pytest.param(_with_signature("{}0"), id="wrong-signature"),
        pytest.param(_with_signature("t=1767614400"), id="no-v1"),
        pytest.param(_with_signature("v1=" + "0" * 64), id="no-timestamp"),
    ],
)
async def test_a_notification_that_is_not_signed_right_is_refused(fleet, till, tamper):
    order = await till.order((fleet.burrito, 1))
    signed = till.gateway.signed(till.gateway.event(order["id"], 950), till.clock.now())
    body, headers = tamper(*signed)

    response = await till.client.post(WEBHOOK, content=body, headers=headers)

    assert response.status_code == 401
    assert response.json()["type"] == "/problems/invalid-signature"
    assert await till.kitchen() == []
    assert await till.state(order) == "awaiting_payment"


async def test_a_notification_signed_with_another_secret_is_refused(fleet, till):
    order = await till.order((fleet.burrito, 1))
    event = till.gateway.event(order["id"], 950)

    response = await till.deliver(event, secret="whsec_someone_else_entirely")

    assert response.status_code == 401


async def test_one_matching_signature_among_several_is_enough(fleet, till):
    order = await till.order((fleet.burrito, 1))
    body, headers = till.gateway.signed(till.gateway.event(order["id"], 950), till.clock.now())
    rotated = headers["Payment-Signature"].replace(",v1=", f",v1={'0' * 64},v1=")

    response = await till.client.post(
        WEBHOOK, content=body, headers={**headers, "Payment-Signature": rotated}
    )

    assert response.json() == {"outcome": "queued"}


@pytest.mark.parametrize(
    ("offset", "status"),
    [
        (timedelta(minutes=-5, seconds=-1), 401),
        (timedelta(minutes=-4, seconds=-59), 200),
        (timedelta(minutes=4, seconds=59), 200),
        (timedelta(minutes=5, seconds=1), 401),
    ],
)
async def test_the_timestamp_must_be_within_five_minutes_of_the_clock(fleet, till, offset, status):
    order = await till.order((fleet.burrito, 1))
    event = till.gateway.event(order["id"], 950)

    response = await till.deliver(event, at=till.clock.now() + offset)

    assert response.status_code == status


async def test_a_signed_body_we_cannot_read_is_refused_naming_the_field(till):
    event = till.gateway.event(uuid4(), 950)
    event["data"]["order_id"] = "not-a-uuid"

    response = await till.deliver(event)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "data.order_id"
    assert (await till.deliver(b"{not json")).status_code == 422


async def test_without_a_secret_the_webhook_is_not_configured(settings, clock):
    gateway = Gateway()
    app = create_app(settings, in_memory_adapters(clock))
    body, headers = gateway.signed(gateway.event(uuid4(), 950), clock.now())
    async with AsyncTestClient(app) as client:
        response = await client.post(WEBHOOK, content=body, headers=headers)

    assert response.status_code == 503
    assert response.json()["type"] == "/problems/not-configured"


async def test_a_paid_order_is_promised_ready_when_it_reaches_the_kitchen(fleet, till):
    slots = {"slots": {"slot_minutes": 15, "orders_per_slot": 5}}
    url = f"/api/v1/shifts/{till.shift.id}/capacity"
    assert (await till.client.put(url, json=slots, headers=till.manager)).status_code == 200
    order = await till.order((fleet.burrito, 1))
    assert (order["pickup_at"], order["promised_ready_at"]) == ("2026-01-05T12:00:00Z", None)
    till.clock.advance(timedelta(minutes=2))

    assert await till.pay(order) == "queued"

    (ticket,) = await till.kitchen()
    assert ticket["promised_ready_at"] == "2026-01-05T12:07:00Z"  # now + the default 5 min
    detail = await till.client.get(f"/api/v1/orders/{order['id']}", headers=till.manager)
    assert detail.json()["promised_ready_at"] == "2026-01-05T12:07:00Z"
    assert detail.json()["pickup_at"] == "2026-01-05T12:00:00Z"


async def _details(till: Till, order: dict[str, Any]) -> dict[str, Any]:
    response = await till.client.get(f"/api/v1/orders/{order['id']}", headers=till.manager)
    assert response.status_code == 200, response.text
    return response.json()


async def _refund(till: Till, order: dict[str, Any], **body: Any) -> Any:
    return await till.client.post(
        f"/api/v1/orders/{order['id']}/refunds",
        json={"reason": "out_of_stock", **body},
        headers=till.manager,
    )


async def test_what_was_paid_for_a_mismatched_payment_is_what_the_gateway_took(fleet, till):
    """The gateway took 1.00 of a 19.00 order: 1.00 was paid, and no more goes back.
    (Of an order it took in full, the total was paid.)"""
    order, in_full = await till.order((fleet.burrito, 2)), await till.order((fleet.horchata, 1))
    assert await till.pay(order, amount=100) == "needs_refund"
    assert await till.pay(in_full) == "queued"

    assert (await _details(till, in_full))["payment"]["paid_cents"] == in_full["total_cents"]
    assert (await _details(till, order))["payment"]["paid_cents"] == 100
    too_much = await _refund(till, order, lines=[{"line": 0, "quantity": 1}])
    assert too_much.status_code == 409, too_much.text
    everything = await _refund(till, order)
    assert everything.status_code == 201, everything.text
    assert everything.json()["amount_cents"] == 100
    assert (await _details(till, order))["payment"] == {
        "state": "refunded",
        "paid_cents": 100,
        "refunded_cents": 100,
    }
    assert (await _refund(till, order)).status_code == 409


async def test_an_overpayment_is_what_was_paid_but_refunds_give_back_the_order(fleet, till):
    order = await till.order((fleet.burrito, 2))
    assert await till.pay(order, amount=2**40) == "needs_refund"

    assert (await _details(till, order))["payment"]["paid_cents"] == 2**40
    everything = await _refund(till, order)
    assert everything.json()["amount_cents"] == order["total_cents"] == 1900
    assert (await _details(till, order))["payment"]["state"] == "refunded"


async def test_a_cancelled_intent_gives_the_held_stock_back(fleet, till):
    order = await till.order((fleet.burrito, 2))

    assert await till.pay(order, kind="payment.cancelled") == "payment_failed"

    assert await till.state(order) == "awaiting_payment"
    assert await till.on_hand() == FULL


async def test_a_wrong_amount_gives_the_held_stock_back_and_needs_a_refund(fleet, till):
    order = await till.order((fleet.burrito, 2))

    assert await till.pay(order, amount=1) == "needs_refund"

    assert await till.state(order) == "needs_refund"
    assert await till.on_hand() == FULL
