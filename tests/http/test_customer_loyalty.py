"""A customer's own orders and points, and nothing else: points earned when the gateway
says an order is paid (once, however often it says so), taken back when it is refunded;
a customer credential reads nothing of another customer's nor of the kitchen."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
import pytest

from fusionx.core.model.fleet_events import Stream
from fusionx.entrypoints.bootstrap import Adapters, in_memory_adapters
from tests.http.conftest import order_body, walk
from tests.support.customers import customer_token, make_customer
from tests.support.gateway import SECRET, WEBHOOK, Gateway

LOYALTY = "/api/v1/customer/loyalty"
NOTICE = Gateway()


@pytest.fixture
def adapters(clock) -> Adapters:
    return in_memory_adapters(clock, payment_webhook_secret=SECRET)


@pytest.fixture
async def ana(adapters: Adapters) -> tuple[UUID, dict[str, str]]:
    customer = await make_customer(adapters, "ana@example.com")
    return customer.id, await customer_token(adapters, customer.id)


@pytest.fixture
async def placed(client, adapters, fleet, manager, taco_shift, restock, ana) -> dict[str, Any]:  # noqa: PLR0917
    """Two burritos (1900 cents) ordered online on Ana's account, not paid yet."""
    await restock(taco_shift, fleet.burrito, 5, manager)
    answer = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/orders",
        json=order_body((fleet.burrito, 2), channel="online"),
        headers=manager,
    )
    assert answer.status_code == 201, answer.text
    order = answer.json()["order"]
    # Checkout places orders on a customer's account; the staff route does not, so the
    # account is set in the store here.
    orders = adapters.uow.store.tables.orders
    stored = orders[UUID(order["id"])]
    orders[stored.id] = msgspec.structs.replace(stored, customer_id=ana[0])
    return dict(order)


async def pay(client, clock, order: dict[str, Any], event_id: str = "evt_1") -> None:
    event = NOTICE.event(order["id"], order["total_cents"], payment_id="pi_1")
    event["id"] = event_id
    body, headers = NOTICE.signed(event, clock.now())
    answer = await client.post(WEBHOOK, content=body, headers=headers)
    assert answer.status_code == 200, answer.text


async def loyalty(client, headers: dict[str, str]) -> dict[str, Any]:
    answer = await client.get(LOYALTY, headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def loyalty_events(adapters: Adapters) -> list[tuple[str, int, int]]:
    async with adapters.uow() as uow:
        events = await uow.fleet_events.read(Stream.fleet())
    return [
        (e.type.value, e.data.entry.points, e.data.balance)  # type: ignore[union-attr]
        for e in events
        if e.type.value.startswith("loyalty.")
    ]


async def test_a_paid_order_earns_its_points_once_however_often_the_gateway_says_so(
    client, clock, adapters, placed, ana
):
    await pay(client, clock, placed)
    await pay(client, clock, placed)  # the same event, replayed
    await pay(client, clock, placed, event_id="evt_2")  # another event for the paid order

    account = await loyalty(client, ana[1])
    assert (account["balance"], account["worth_cents"]) == (19, 19)
    [entry] = account["entries"]["items"]
    assert (entry["kind"], entry["points"], entry["order_id"]) == ("earned", 19, placed["id"])
    assert await loyalty_events(adapters) == [("loyalty.points_earned", 19, 19)]


async def test_a_refund_takes_back_the_points_earned_on_what_it_gave_back(  # noqa: PLR0917
    client, clock, adapters, placed, ana, manager
):
    await pay(client, clock, placed)
    detail = await client.get(f"/api/v1/orders/{placed['id']}", headers=manager)
    await walk(client, detail.json()["ticket"], manager, "in_prep", "ready", "completed")
    one = {"reason": "customer_request", "lines": [{"line": 0, "quantity": 1}]}

    first = await client.post(f"/api/v1/orders/{placed['id']}/refunds", json=one, headers=manager)
    assert first.status_code == 201, first.text
    assert (await loyalty(client, ana[1]))["balance"] == 19 - 9
    second = await client.post(f"/api/v1/orders/{placed['id']}/refunds", json=one, headers=manager)
    assert second.status_code == 201, second.text

    account = await loyalty(client, ana[1])
    assert account["balance"] == 0  # wholly refunded: all it earned is taken back
    kinds = [(e["kind"], e["points"]) for e in account["entries"]["items"]]
    assert kinds == [("reversed", -10), ("reversed", -9), ("earned", 19)]
    assert sum(points for _, points in kinds) == account["balance"]
    assert [t for t, _, _ in await loyalty_events(adapters)] == [
        "loyalty.points_earned", "loyalty.points_reversed", "loyalty.points_reversed",
    ]  # fmt: skip


async def test_a_customer_reads_their_own_order_and_not_anothers(  # noqa: PLR0917
    client, clock, adapters, placed, ana, manager
):
    await pay(client, clock, placed)
    bea = await customer_token(adapters, (await make_customer(adapters, "bea@example.com")).id)
    url = f"/api/v1/customer/orders/{placed['id']}"

    mine = await client.get(url, headers=ana[1])
    assert mine.status_code == 200, mine.text
    assert mine.json()["ticket_state"] == "new"
    assert mine.json()["payment_state"] == "paid"
    assert [p["kind"] for p in mine.json()["points"]] == ["earned"]
    listed = await client.get("/api/v1/customer/orders", headers=ana[1])
    assert [o["id"] for o in listed.json()["items"]] == [placed["id"]]

    assert (await client.get(url, headers=bea)).status_code == 404
    assert (await client.get("/api/v1/customer/orders", headers=bea)).json()["items"] == []
    assert (await loyalty(client, bea))["balance"] == 0
    # Nor the order, nor the kitchen, through the fleet's routes.
    shift_id = placed["shift_id"]
    for path in (
        f"/api/v1/orders/{placed['id']}",
        f"/api/v1/shifts/{shift_id}/tickets",
        f"/api/v1/shifts/{shift_id}",
        "/api/v1/me",
    ):
        assert (await client.get(path, headers=ana[1])).status_code == 403, path
    # And a staff credential opens none of the customer's routes.
    assert (await client.get(LOYALTY, headers=manager)).status_code == 403
    assert (await client.get(url, headers=manager)).status_code == 403
