"""Close-out of the pass, all-day counts, and the shift's cancellations and their totals."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from fusionx.core.model.events import EventType
from tests.http.conftest import place, walk
from tests.support.events import stored


@pytest.fixture
async def tickets(client, fleet, manager, taco_shift, restock) -> list[dict]:
    """Four tickets of Taco Titan's shift: 1 burrito each, the first two on the pass."""
    await restock(taco_shift, fleet.burrito, 10, manager)
    placed = [
        (await place(client, taco_shift, manager, (fleet.burrito, 1)))["ticket"] for _ in range(4)
    ]
    for ticket in placed[:2]:
        await walk(client, ticket, manager, "in_prep", "ready")
    return placed


async def test_bulk_advance_completes_every_ready_ticket_with_one_event_each(
    client, adapters, taco_device, taco_shift, tickets
):
    async with adapters.uow() as uow:
        before = await uow.events.last_seq(taco_shift.id)

    response = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/tickets/bulk-advance", headers=taco_device
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["advanced"] == 2
    assert [(r["ticket_id"], r["outcome"], r["state"]) for r in body["results"]] == [
        (tickets[0]["id"], "advanced", "completed"),
        (tickets[1]["id"], "advanced", "completed"),
    ]
    async with adapters.uow() as uow:
        events = await uow.events.since(taco_shift.id, before)
    assert [(e.type, stored(e)["to"]) for e in events] == [
        (EventType.TICKET_CHANGED, "completed"),
        (EventType.TICKET_CHANGED, "completed"),
    ]


async def test_bulk_advance_of_a_list_says_why_each_one_was_not(
    client, manager, outsiders, taco_shift, tickets
):
    stranger = str(uuid4())
    listed = [tickets[0]["id"], tickets[2]["id"], stranger]

    response = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/tickets/bulk-advance",
        json={"ticket_ids": listed},
        headers=manager,
    )
    again = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/tickets/bulk-advance",
        json={"ticket_ids": [tickets[0]["id"]]},
        headers=manager,
    )

    assert [(r["outcome"], r["state"]) for r in response.json()["results"]] == [
        ("advanced", "completed"),
        ("not_ready", "new"),
        ("not_found", None),
    ]
    assert again.json()["results"][0]["outcome"] == "not_ready"
    for headers in outsiders:
        refused = await client.post(
            f"/api/v1/shifts/{taco_shift.id}/tickets/bulk-advance", headers=headers
        )
        assert refused.status_code == 404


@pytest.mark.parametrize(
    "body", [{"ticket_ids": []}, {"ticket_ids": ["nope"]}, {"ticket_ids": [str(UUID(int=1))] * 2}]
)
async def test_a_bad_list_names_the_field(client, manager, taco_shift, body):
    response = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/tickets/bulk-advance", json=body, headers=manager
    )

    assert response.status_code == 422
    assert [e["field"].split("[")[0] for e in response.json()["errors"]] == ["ticket_ids"]


async def test_all_day_counts_what_is_still_to_make(client, taco_device, taco_shift, tickets):
    response = await client.get(f"/api/v1/shifts/{taco_shift.id}/all-day", headers=taco_device)

    assert response.status_code == 200
    (burritos,) = response.json()["items"]
    assert (burritos["name"], burritos["quantity"], burritos["tickets"]) == ("Burrito", 2, 2)


async def test_cancellations_are_listed_and_summed_by_reason(
    client, sign_in, fleet, manager, tickets
):
    shift_id = tickets[0]["shift_id"]
    for ticket, reason in zip(
        tickets[1:], ("kitchen_error", "duplicate", "duplicate"), strict=True
    ):
        version = 3 if ticket is tickets[1] else 1
        response = await client.post(
            f"/api/v1/tickets/{ticket['id']}/transitions",
            json={"to": "cancelled", "version": version, "cancel_reason": reason},
            headers=manager,
        )
        assert response.status_code == 200, response.text

    page = await client.get(
        f"/api/v1/shifts/{shift_id}/cancellations",
        params={"limit": 2, "offset": 1},
        headers=await sign_in(fleet.taco_crew),
    )
    summary = await client.get(f"/api/v1/shifts/{shift_id}/summary", headers=manager)

    assert page.status_code == 200
    assert (page.json()["total"], page.json()["limit"], page.json()["offset"]) == (3, 2, 1)
    assert [(c["reason"], c["stock_returned"]) for c in page.json()["items"]] == [
        ("duplicate", True),
        ("duplicate", True),
    ]
    assert summary.json()["cancellations_by_reason"] == [
        {"reason": "kitchen_error", "count": 1, "amount_cents": 950},
        {"reason": "duplicate", "count": 2, "amount_cents": 1900},
    ]
    assert summary.json()["refunds_by_reason"] == []


async def test_devices_do_not_read_the_cancellations(client, taco_device, taco_shift):
    response = await client.get(
        f"/api/v1/shifts/{taco_shift.id}/cancellations", headers=taco_device
    )

    assert response.status_code == 403
