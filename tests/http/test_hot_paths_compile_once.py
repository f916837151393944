"""The hot requests on PostgreSQL (the kitchen feed, its 304, a transition, an order)
run statements SQLAlchemy compiled once per worker, never one compiled per request.

Compiling is most of what a statement costs in Python: a multi-VALUES INSERT built from
each request's rows was compiled anew on every order. Each request runs a few times
first, so that whatever it compiles once is in the cache; then no statement it runs may
miss the cache or bypass it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.interfaces import CacheStats

from tests.support.hostile import Scene

pytestmark = pytest.mark.postgres


@contextmanager
def compiled_anew() -> Iterator[list[str]]:
    """Each compiled statement run meanwhile that did not come from the cache."""
    missed: list[str] = []

    def record(
        _conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool
    ) -> None:
        compiled = context is not None and context.compiled is not None
        if compiled and context.cache_hit is not CacheStats.CACHE_HIT:
            missed.append(" ".join(statement.split())[:120])

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield missed
    finally:
        event.remove(Engine, "before_cursor_execute", record)


async def test_the_hot_requests_compile_nothing_per_request(postgres_scene: Scene) -> None:
    scene = postgres_scene
    client, shift_id, item_id = scene.client, scene.ids["shift_id"], scene.ids["item_id"]
    restocked = await client.post(
        f"/api/v1/shifts/{shift_id}/inventory/adjustments",
        json={"item_id": item_id, "reason": "restock", "delta": 100},
        headers=scene.owner_headers,
    )
    assert restocked.status_code == 201, restocked.text
    feed_url = f"/api/v1/shifts/{shift_id}/tickets"
    tickets: list[dict[str, Any]] = []

    async def order() -> None:
        placed = await client.post(
            f"/api/v1/shifts/{shift_id}/orders",
            json={"lines": [{"item_id": item_id, "quantity": 1}]},
            headers=scene.device_headers,
        )
        assert placed.status_code == 201, placed.text
        tickets.append(placed.json()["ticket"])

    async def transition() -> None:
        ticket = tickets.pop()
        moved = await client.post(
            f"/api/v1/tickets/{ticket['id']}/transitions",
            json={"to": "in_prep", "version": ticket["version"]},
            headers=scene.device_headers,
        )
        assert moved.status_code == 200, moved.text

    async def feed() -> None:
        assert (await client.get(feed_url, headers=scene.device_headers)).status_code == 200

    async def feed_held() -> None:
        etag = (await client.get(feed_url, headers=scene.device_headers)).headers["etag"]
        held = await client.get(feed_url, headers={**scene.device_headers, "If-None-Match": etag})
        assert held.status_code == 304

    requests: dict[str, Callable[[], Awaitable[None]]] = {
        "order": order,
        "transition": transition,
        "feed": feed,
        "feed 304": feed_held,
    }
    for send in requests.values():
        for _ in range(3):
            await order()  # a ticket to move for each warm-up transition
            await send()

    for name, send in requests.items():
        await order()
        with compiled_anew() as missed:
            await send()
        assert missed == [], name
