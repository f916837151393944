"""GET /api/v1/audit: owners and admins read the whole trail, managers their trucks'
part; filters, paging newest first; crew, devices and customers may not."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.shifts import Shift
from tests.http.conftest import Fleet, Headers

AUDIT = "/api/v1/audit"


async def _get(
    client: AsyncTestClient[Litestar], headers: Headers, **params: Any
) -> tuple[int, Any]:
    response = await client.get(AUDIT, params=params, headers=headers)
    return response.status_code, response.json()


def _actions(page: dict[str, Any]) -> list[str]:
    return [record["action"] for record in page["items"]]


@pytest.fixture
async def changes(
    client: AsyncTestClient[Litestar],
    fleet: Fleet,
    manager: Headers,
    sign_in: Callable[..., Awaitable[Headers]],
    clock: ManualClock,
) -> Headers:
    """After the fleet's making: a price change (fleet), then capacities for each truck,
    a minute apart. Returns the owner's header."""
    owner = await sign_in(fleet.owner)
    clock.advance(timedelta(minutes=1))
    changed = await client.patch(
        f"/api/v1/menu/items/{fleet.burrito.id}", json={"price_cents": 990}, headers=owner
    )
    assert changed.status_code == 200, changed.text
    limits = {"throttle": {"window_minutes": 15, "max_orders": 10}}
    for truck, headers in ((fleet.taco, manager), (fleet.curry, owner)):
        clock.advance(timedelta(minutes=1))
        response = await client.put(
            f"/api/v1/trucks/{truck.id}/capacity", json=limits, headers=headers
        )
        assert response.status_code == 200, response.text
    return owner


async def test_owners_read_every_record_newest_first(
    client: AsyncTestClient[Litestar], fleet: Fleet, changes: Headers
) -> None:
    status, page = await _get(client, changes, limit=3)

    assert status == 200
    assert _actions(page)[:3] == [
        "truck.capacity_set",
        "truck.capacity_set",
        "menu.item_changed",
    ]
    curry, taco, price = page["items"]
    assert (curry["truck_id"], taco["truck_id"], price["truck_id"]) == (
        str(fleet.curry.id),
        str(fleet.taco.id),
        None,
    )
    assert price["subject"] == {"type": "menu_item", "id": str(fleet.burrito.id)}
    assert (price["data"]["before"]["price_cents"], price["data"]["after"]["price_cents"]) == (
        950,
        990,
    )
    assert taco["actor"] == {"kind": "staff", "id": str(fleet.taco_manager.id)}
    assert taco["data"]["before"] is None
    assert page["total"] > 3  # the fleet's making is on the trail too


async def test_every_filter_narrows_the_trail(
    client: AsyncTestClient[Litestar], fleet: Fleet, changes: Headers, clock: ManualClock
) -> None:
    async def actions(**params: Any) -> list[str]:
        status, page = await _get(client, changes, **params)
        assert status == 200, page
        return _actions(page)

    now = clock.now()
    assert await actions(actor_id=str(fleet.taco_manager.id)) == ["truck.capacity_set"]
    assert await actions(truck_id=str(fleet.curry.id)) == ["truck.capacity_set", "truck.created"]
    assert await actions(action="menu.item_changed") == ["menu.item_changed"]
    assert await actions(subject_type="menu_item", subject_id=str(fleet.burrito.id)) == [
        "menu.item_changed",
        "menu.item_added",
    ]
    since, until = now - timedelta(minutes=2), now - timedelta(seconds=30)
    assert await actions(since=since.isoformat(), until=until.isoformat()) == [
        "truck.capacity_set",
        "menu.item_changed",
    ]


async def test_pages_follow_the_lists_paging(
    client: AsyncTestClient[Litestar], changes: Headers
) -> None:
    _, whole = await _get(client, changes, limit=200)
    pages = [(await _get(client, changes, limit=2, offset=n))[1] for n in range(0, 6, 2)]

    assert [r for page in pages for r in page["items"]] == whole["items"][:6]
    assert {(p["total"], p["limit"]) for p in pages} == {(whole["total"], 2)}


async def test_managers_read_their_trucks_records_only(
    client: AsyncTestClient[Litestar], fleet: Fleet, manager: Headers, changes: Headers
) -> None:
    status, page = await _get(client, manager, limit=200)
    _, theirs = await _get(client, manager, truck_id=str(fleet.taco.id), limit=200)
    other, problem = await _get(client, manager, truck_id=str(fleet.curry.id))

    assert status == 200
    assert {record["truck_id"] for record in page["items"]} == {str(fleet.taco.id)}
    assert _actions(page) == ["truck.capacity_set", "truck.created"]
    assert theirs == page
    assert other == 404, problem


async def test_crew_devices_and_strangers_may_not_read_the_trail(
    client: AsyncTestClient[Litestar],
    fleet: Fleet,
    sign_in: Callable[..., Awaitable[Headers]],
    taco_device: Headers,
) -> None:
    crew = await sign_in(fleet.taco_crew)

    assert (await client.get(AUDIT, headers=crew)).status_code == 403
    assert (await client.get(AUDIT, headers=taco_device)).status_code == 403
    assert (await client.get(AUDIT)).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "2026-12-03T10:00:00Z", "until": "2026-12-03T09:00:00Z"}, "until"),
        ({"since": "2026-12-03T10:00:00"}, "since"),
        ({"action": "shift.opened"}, "action"),
        ({"subject_id": "abc"}, "subject_type"),
        ({"actor_id": "not-a-uuid"}, "actor_id"),
        ({"limit": "0"}, "limit"),
    ],
    ids=["until before since", "no time zone", "unknown action", "id alone", "bad id", "limit"],
)
async def test_a_bad_filter_is_a_problem_naming_it(
    client: AsyncTestClient[Litestar], changes: Headers, params: dict[str, str], field: str
) -> None:
    response = await client.get(AUDIT, params=params, headers=changes)

    assert response.status_code in {400, 422}, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in response.text


async def test_a_shift_override_shows_on_the_trail_with_its_reason(
    client: AsyncTestClient[Litestar], manager: Headers, taco_shift: Shift, changes: Headers
) -> None:
    name = 'Storm\n{"event": "forged", "level": "info"}\r\x1b[31m'
    response = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/checkout",
        json={"force": True, "reason": name},
        headers=manager,
    )
    status, page = await _get(client, changes, action="shift.force_closed")

    assert response.status_code == 200, response.text
    assert status == 200
    [record] = page["items"]
    assert record["data"]["reason"] == name.strip()  # stored as data, as typed
    assert record["subject"] == {"type": "shift", "id": str(taco_shift.id)}
