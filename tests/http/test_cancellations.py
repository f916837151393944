"""Cancelling with a reason from the list: stock back unless the food was made, an audit
record on the order, and an event for the stream."""

from __future__ import annotations

from uuid import UUID

import pytest

from fusionx.core.model.events import EventType
from tests.http.conftest import on_hand, place, walk
from tests.support.events import stored


@pytest.fixture
async def ticket(client, fleet, manager, taco_shift, restock) -> dict:
    """A NEW ticket for 2 burritos; 3 burritos are left on hand."""
    await restock(taco_shift, fleet.burrito, 5, manager)
    return (await place(client, taco_shift, manager, (fleet.burrito, 2)))["ticket"]


async def cancel(client, ticket: dict, version: int, headers, reason: str, *, note=None):
    body = {"to": "cancelled", "version": version, "cancel_reason": reason}
    if note:
        body["reason"] = note
    return await client.post(
        f"/api/v1/tickets/{ticket['id']}/transitions", json=body, headers=headers
    )


@pytest.mark.parametrize(
    "case",
    [
        ((), "customer_request", 5),
        (("in_prep",), "out_of_stock", 5),
        (("in_prep", "hold"), "duplicate", 5),
        (("in_prep",), "kitchen_error", 3),
        (("in_prep", "ready"), "customer_request", 3),
    ],
)
async def test_stock_returns_unless_the_food_was_made(client, manager, taco_shift, ticket, case):
    moves, reason, back = case
    version = await walk(client, ticket, manager, *moves)

    response = await cancel(client, ticket, version, manager, reason)

    assert response.status_code == 200, response.text
    assert (await on_hand(client, taco_shift, manager))["Burrito"] == back


async def test_a_cancellation_is_an_audit_record_and_an_event(
    client, adapters, manager, taco_device, ticket
):
    response = await cancel(client, ticket, 1, taco_device, "other", note="Fire alarm")
    assert response.status_code == 200

    detail = (await client.get(f"/api/v1/orders/{ticket['order_id']}", headers=manager)).json()
    record = detail["cancellation"]
    assert (record["reason"], record["note"], record["from_state"]) == (
        "other",
        "Fire alarm",
        "new",
    )
    assert (record["stock_returned"], record["amount_cents"]) == (True, 1900)
    assert record["actor"]["kind"] == "device"
    assert detail["history"][-1]["reason"] == "other: Fire alarm"
    async with adapters.uow() as uow:
        events = await uow.events.since(UUID(ticket["shift_id"]), 0)
    (cancelled,) = [e for e in events if e.type is EventType.ORDER_CANCELLED]
    assert (
        stored(cancelled)["cancellation"]["reason"],
        stored(cancelled)["cancellation"]["order_id"],
    ) == ("other", ticket["order_id"])
