"""The kitchen display's feed: open tickets oldest first, cheap to poll with ETags."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.http.conftest import place, walk


def feed_of(shift) -> str:
    return f"/api/v1/shifts/{shift.id}/tickets"


@pytest.fixture
async def stocked(fleet, manager, taco_shift, restock):
    await restock(taco_shift, fleet.burrito, 10, manager)
    await restock(taco_shift, fleet.horchata, 10, manager)
    return taco_shift


@pytest.fixture
async def orders(client, fleet, manager, stocked, clock) -> list[dict]:
    """Three orders on Taco Titan's shift, a minute apart; the first is being prepared."""
    placed = []
    for name in ("Ana", None, "Bo"):
        named = {"customer_name": name} if name else {}
        lines = ((fleet.burrito, 2), (fleet.horchata, 1))
        placed.append(await place(client, stocked, manager, *lines, **named))
        clock.advance(timedelta(minutes=1))
    await walk(client, placed[0]["ticket"], manager, "in_prep")
    return placed


async def test_the_feed_lists_open_tickets_oldest_first(client, fleet, orders, taco_device, clock):
    shift_id = orders[0]["order"]["shift_id"]
    clock.advance(timedelta(seconds=30))

    response = await client.get(f"/api/v1/shifts/{shift_id}/tickets", headers=taco_device)

    assert response.status_code == 200
    assert response.headers["etag"].startswith('W/"')
    assert response.headers["cache-control"] == "no-cache"
    feed = response.json()
    assert feed["shift_id"] == shift_id
    assert feed["last_seq"] > 0
    tickets = feed["tickets"]
    assert [t["number"] for t in tickets] == [1, 2, 3]
    assert [t["state"] for t in tickets] == ["in_prep", "new", "new"]
    assert [t["age_seconds"] for t in tickets] == [210, 150, 90]
    assert [t["customer_name"] for t in tickets] == ["Ana", None, "Bo"]
    first = tickets[0]
    assert first["id"] == orders[0]["ticket"]["id"]
    assert first["order_id"] == orders[0]["order"]["id"]
    assert first["version"] == 2
    assert first["created_at"] == orders[0]["ticket"]["created_at"]
    assert first["updated_at"] > first["created_at"]
    assert first["lines"] == [
        {
            "item_id": str(fleet.burrito.id),
            "name": "Burrito",
            "quantity": 2,
            "notes": None,
            "modifiers": [],
        },
        {
            "item_id": str(fleet.horchata.id),
            "name": "Horchata",
            "quantity": 1,
            "notes": None,
            "modifiers": [],
        },
    ]


async def test_the_state_filter_picks_tickets(client, taco_shift, orders, manager):
    preparing = await client.get(feed_of(taco_shift), params={"state": "in_prep"}, headers=manager)
    both = await client.get(
        feed_of(taco_shift), params={"state": ["new", "in_prep"]}, headers=manager
    )
    done = await client.get(feed_of(taco_shift), params={"state": "completed"}, headers=manager)

    assert [t["number"] for t in preparing.json()["tickets"]] == [1]
    assert [t["number"] for t in both.json()["tickets"]] == [1, 2, 3]
    assert done.json()["tickets"] == []
    assert preparing.headers["etag"] != both.headers["etag"] != done.headers["etag"]


async def test_the_etag_does_not_depend_on_the_order_of_states(client, taco_shift, manager):
    one = await client.get(feed_of(taco_shift), params={"state": ["new", "ready"]}, headers=manager)
    other = await client.get(
        feed_of(taco_shift), params={"state": ["ready", "new"]}, headers=manager
    )

    assert one.headers["etag"] == other.headers["etag"]


async def test_an_unchanged_feed_is_not_modified(client, taco_shift, orders, taco_device):
    first = await client.get(feed_of(taco_shift), headers=taco_device)
    etag = first.headers["etag"]

    again = await client.get(feed_of(taco_shift), headers={**taco_device, "If-None-Match": etag})

    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag


async def test_any_change_gives_a_new_feed_and_etag(client, taco_shift, orders, taco_device):
    etag = (await client.get(feed_of(taco_shift), headers=taco_device)).headers["etag"]
    await walk(client, orders[1]["ticket"], taco_device, "in_prep")

    response = await client.get(feed_of(taco_shift), headers={**taco_device, "If-None-Match": etag})

    assert response.status_code == 200
    assert response.headers["etag"] != etag
    assert [t["state"] for t in response.json()["tickets"]] == ["in_prep", "in_prep", "new"]


async def test_an_etag_of_another_filter_does_not_match(client, taco_shift, orders, manager):
    etag = (await client.get(feed_of(taco_shift), headers=manager)).headers["etag"]

    response = await client.get(
        feed_of(taco_shift),
        params={"state": "completed"},
        headers={**manager, "If-None-Match": etag},
    )

    assert response.status_code == 200


async def test_another_trucks_staff_and_devices_do_not_find_the_feed(
    client, taco_shift, orders, manager, outsiders
):
    etag = (await client.get(feed_of(taco_shift), headers=manager)).headers["etag"]

    for headers in outsiders:
        response = await client.get(feed_of(taco_shift), headers={**headers, "If-None-Match": etag})
        assert response.status_code == 404, headers


async def test_an_unknown_state_is_refused(client, taco_shift, manager):
    response = await client.get(feed_of(taco_shift), params={"state": "eaten"}, headers=manager)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "state",
            "message": "must be one of new, in_prep, ready, completed, cancelled, hold, refunded",
        }
    ]
