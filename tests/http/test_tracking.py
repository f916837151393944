"""An order followed over its tracking link, reviewed by its customer, its review hidden
by the truck's manager, and the ratings on the public menu; a tracking token is good for
its own routes and nothing else."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from typing import Any

import httpx
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from fusionx.adapters.memory.clock import ManualClock
from fusionx.core.model.shifts import Shift
from fusionx.entrypoints.bootstrap import Adapters
from tests.http.conftest import Fleet, Headers, place
from tests.support.tracking import moved, reviewed, sse_messages, tracked

# What a customer's answer never holds, anywhere in it.
NEVER_SHOWN = {"customer_phone", "customer_email", "customer_name", "created_by", "actor", "staff"}
_PARAMETER = re.compile(r"\{(\w+):(\w+)\}")


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | set().union(*(_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(v) for v in value))
    return set()


async def _ordered(
    client: AsyncTestClient[Litestar], fleet: Fleet, shift: Shift, manager: Headers, units: int = 1
) -> dict[str, Any]:
    return await place(
        client, shift, manager, (fleet.burrito, units),
        customer_name="Ana", customer_phone="+14155550123", customer_email="ana@example.com",
    )  # fmt: skip


async def test_the_customer_follows_their_order_through_the_kitchen(  # noqa: PLR0917
    client: AsyncTestClient[Litestar],
    adapters: Adapters,
    fleet: Fleet,
    taco_shift: Shift,
    manager: Headers,
    restock: Any,
) -> None:
    await restock(taco_shift, fleet.burrito, 10, manager)
    first = await _ordered(client, fleet, taco_shift, manager)
    mine = await _ordered(client, fleet, taco_shift, manager, units=2)
    token = await tracked(adapters, mine["order"]["id"], locale="fr", notify=True)
    url = f"/api/v1/track/{token}"

    seen = []
    for states in ((), ("in_prep",), ("ready",), ("completed",)):
        await moved(client, mine, manager, *states)
        response = await client.get(url)
        assert response.status_code == 200, response.text
        seen.append((response.json()["status"], response.json()["ahead"]))
    await moved(client, first, manager, "in_prep", "ready")
    body = (await client.get(url)).json()

    assert seen == [("queued", 1), ("preparing", 1), ("ready", None), ("picked_up", None)]
    assert body["id"] == mine["order"]["id"]
    assert body["number"] == mine["order"]["number"]
    assert body["lines"] == [
        {"name": "Burrito", "quantity": 2, "unit_price_cents": fleet.burrito.price_cents,
         "total_cents": 2 * fleet.burrito.price_cents, "modifiers": [], "notes": None},
    ]  # fmt: skip
    assert body["total_cents"] == body["paid_cents"] == 2 * fleet.burrito.price_cents
    assert body["promised_ready_at"] == mine["order"]["promised_ready_at"]
    assert body["truck"] == {"id": str(fleet.taco.id), "name": "Taco Titan"}
    assert body["location"]["name"] == fleet.plaza.name
    assert body["review"] is None
    assert _keys(body) & NEVER_SHOWN == set()
    assert first["order"]["id"] not in (await client.get(url)).text


async def test_an_unknown_or_garbage_token_is_the_same_404(  # noqa: PLR0917
    client: AsyncTestClient[Litestar], adapters: Adapters, fleet: Fleet, taco_shift: Shift,
    manager: Headers, restock: Any,
) -> None:  # fmt: skip
    await restock(taco_shift, fleet.burrito, 1, manager)
    token = await tracked(
        adapters, (await _ordered(client, fleet, taco_shift, manager))["order"]["id"]
    )
    answers = [
        await client.get(f"/api/v1/track/{guess}")
        for guess in (token[:-1] + ("A" if token[-1] != "A" else "B"), "fxt_x", "x" * 500, "%00")
    ]

    assert {a.status_code for a in answers} == {404}
    assert len({a.json()["detail"] for a in answers}) == 1
    assert all(token[4:] not in a.text for a in answers)


async def test_a_tracking_token_is_no_credential_on_any_other_route(  # noqa: PLR0917
    app: Litestar,
    client: AsyncTestClient[Litestar],
    adapters: Adapters,
    fleet: Fleet,
    taco_shift: Shift,
    manager: Headers,
    restock: Any,
) -> None:
    await restock(taco_shift, fleet.burrito, 1, manager)
    placed = await _ordered(client, fleet, taco_shift, manager)
    token = await tracked(adapters, placed["order"]["id"])
    ids = {"uuid": placed["order"]["id"], "str": "x", "path": "x"}
    checked = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith("/api/v1/track/"):
            continue
        for handler in route.route_handlers:
            if "principal" not in handler.parsed_fn_signature.parameters:
                continue  # public: no credential asked for, none used
            path = _PARAMETER.sub(lambda m: ids[m.group(2)], route.path)
            for method in sorted(handler.http_methods):
                response = await client.request(
                    method, path, headers={"Authorization": f"Bearer {token}"}, json={}
                )
                checked.append((method, route.path, response.status_code))

    assert len(checked) > 50
    assert [c for c in checked if c[2] != 401] == []


async def test_a_review_is_written_once_changed_within_a_day_and_hidden_by_a_manager(  # noqa: PLR0917
    client: AsyncTestClient[Litestar],
    adapters: Adapters,
    clock: ManualClock,
    fleet: Fleet,
    taco_shift: Shift,
    manager: Headers,
    sign_in: Any,
    restock: Any,
) -> None:
    await restock(taco_shift, fleet.burrito, 5, manager)
    waiting = await _ordered(client, fleet, taco_shift, manager)
    early = await tracked(adapters, waiting["order"]["id"])
    too_early = await client.post(f"/api/v1/track/{early}/review", json={"stars": 5})
    token, review = await reviewed(
        client, adapters, await _ordered(client, fleet, taco_shift, manager), manager, stars=2
    )
    url = f"/api/v1/track/{token}/review"
    again = await client.post(url, json={"stars": 5})
    bad = await client.post(f"/api/v1/track/{early}/review", json={"stars": 6, "comment": "x"})
    changed = await client.patch(url, json={"stars": 3, "comment": None})
    menu_before = await client.get(f"/api/v1/public/trucks/{fleet.taco.id}/menu")
    crew = await client.post(
        f"/api/v1/reviews/{review['id']}/hide", json={"reason": "rude"},
        headers=await sign_in(fleet.taco_crew),
    )  # fmt: skip
    other = await client.post(
        f"/api/v1/reviews/{review['id']}/hide", json={"reason": "rude"},
        headers=await sign_in(fleet.curry_manager),
    )  # fmt: skip
    hidden = await client.post(
        f"/api/v1/reviews/{review['id']}/hide", json={"reason": "rude"}, headers=manager
    )
    menu_after = await client.get(
        f"/api/v1/public/trucks/{fleet.taco.id}/menu",
        headers={"If-None-Match": menu_before.headers["ETag"]},
    )
    listed = await client.get(f"/api/v1/trucks/{fleet.taco.id}/reviews", headers=manager)
    clock.advance(timedelta(hours=25))
    late = await client.patch(url, json={"stars": 5})

    assert too_early.status_code == 409, too_early.text
    assert (review["stars"], review["comment"], review["hidden"]) == (2, "Great", False)
    assert again.status_code == 409, again.text
    assert bad.status_code in (400, 422)
    assert "stars" in bad.text
    assert changed.status_code == 200, changed.text
    assert (changed.json()["stars"], changed.json()["comment"]) == (3, None)
    burrito = next(
        item for category in menu_before.json()["categories"] for item in category["items"]
        if item["id"] == str(fleet.burrito.id)
    )  # fmt: skip
    assert burrito["rating"] == {"count": 1, "mean": 3.0}
    assert menu_before.json()["rating"] == {"count": 1, "mean": 3.0}
    assert (crew.status_code, other.status_code, hidden.status_code) == (403, 404, 200)
    assert hidden.json()["hidden_reason"] == "rude"
    assert menu_after.status_code == 200  # the new ETag: the rating changed
    assert menu_after.json()["rating"] == {"count": 0, "mean": None}
    assert listed.json()["total"] == 1
    assert listed.json()["items"][0]["hidden_by"]["id"] == str(fleet.taco_manager.id)
    assert listed.json()["rating"] == {"count": 0, "mean": None}
    assert late.status_code == 409, late.text


async def test_the_order_is_followed_live_and_only_this_order(  # noqa: PLR0917
    same_loop_client: httpx.AsyncClient,
    adapters: Adapters,
    fleet: Fleet,
    taco_shift: Shift,
    manager: Headers,
    restock: Any,
) -> None:
    client = same_loop_client
    await restock(taco_shift, fleet.burrito, 5, manager)
    other = await _ordered(client, fleet, taco_shift, manager)  # type: ignore[arg-type]
    mine = await _ordered(client, fleet, taco_shift, manager)  # type: ignore[arg-type]
    token = await tracked(adapters, mine["order"]["id"])
    url = f"/api/v1/track/{token}/events"

    following = asyncio.create_task(client.get(url))
    await asyncio.sleep(0.5)  # subscribed, and the order as it was sent
    await moved(client, other, manager, "in_prep", "ready")  # type: ignore[arg-type]
    for state in ("in_prep", "ready", "completed"):  # at a kitchen's pace, not all at once
        await moved(client, mine, manager, state)  # type: ignore[arg-type]
        await asyncio.sleep(0.2)
    response = await asyncio.wait_for(following, 5)
    head = max(m["seq"] for m in sse_messages(response.text))
    resumed = await client.get(url, headers={"Last-Event-ID": str(head)})
    ahead = await client.get(url, headers={"Last-Event-ID": str(head + 50)})
    unknown = await client.get("/api/v1/track/fxt_nothing/events")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    messages = sse_messages(response.text)
    assert [m["status"] for m in messages] == ["queued", "preparing", "ready", "picked_up"]
    assert [m["event"] for m in messages] == ["order"] * 4
    assert [m["seq"] for m in messages] == sorted({m["seq"] for m in messages})
    assert other["order"]["id"] not in response.text
    assert all(_keys(m) & NEVER_SHOWN == set() for m in messages)
    assert resumed.status_code == 200, resumed.text
    assert sse_messages(resumed.text) == []  # it holds the last state, and the order is over
    assert ahead.status_code == 409, ahead.text
    assert unknown.status_code == 404
