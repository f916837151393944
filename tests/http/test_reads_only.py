"""A GET never opens a writing unit of work: checked on every GET route the app has,
and on the event stream's WebSocket, with the writing factory counting what it makes."""

from __future__ import annotations

import re
from dataclasses import replace
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute, WebSocketRoute
from litestar.testing import AsyncTestClient

from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.app import create_app
from fusionx.entrypoints.http.controllers.fleet_live import LIVE_TIMING_STATE_KEY, LiveStreamTiming
from fusionx.entrypoints.settings import Settings
from fusionx.entrypoints.use_cases import BUILDERS, READING
from fusionx.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from tests.http.conftest import Fleet

_PARAMETER = re.compile(r"{(\w+)(?::\w+)?}")


class CountingUnits:
    """A unit-of-work factory that counts the units it makes."""

    def __init__(self, units: UnitOfWorkFactory) -> None:
        self._units = units
        self.made = 0

    def __call__(self) -> UnitOfWork:
        self.made += 1
        return self._units()


@pytest.fixture
def counted(adapters: Adapters) -> Adapters:
    return replace(adapters, uow=CountingUnits(adapters.uow), reader=CountingUnits(adapters.reader))


@pytest.fixture
async def world(client, fleet: Fleet, taco_shift, sign_in, restock) -> dict[str, str]:
    """Ids of real things for each path parameter, so GETs reach their use case's work."""
    owner = await sign_in(fleet.owner)
    await restock(taco_shift, fleet.burrito, 5, owner)
    placed = await client.post(
        f"/api/v1/shifts/{taco_shift.id}/orders",
        json={"lines": [{"item_id": str(fleet.burrito.id), "quantity": 1}]},
        headers=owner,
    )
    assert placed.status_code == 201, placed.text
    return {
        "shift_id": str(taco_shift.id),
        "truck_id": str(fleet.taco.id),
        "item_id": str(fleet.burrito.id),
        "order_id": placed.json()["order"]["id"],
        "authorization": owner["Authorization"],
    }


def _get_paths(app: Litestar, ids: dict[str, str]) -> list[str]:
    paths = []
    for route in app.routes:
        if isinstance(route, HTTPRoute) and "GET" in route.methods:
            # An id of nothing (a notification, say) still builds the handler's use case.
            paths.append(_PARAMETER.sub(lambda m: ids.get(m.group(1), str(uuid4())), route.path))
    return paths


async def test_no_get_route_opens_a_writing_unit_of_work(
    counted: Adapters, world: dict[str, str]
) -> None:
    app = create_app(Settings(), counted)
    # The live fleet stream has no end of its own: it ends soon, once it has read.
    app.state[LIVE_TIMING_STATE_KEY] = LiveStreamTiming(lifetime=0.2)
    paths = _get_paths(app, world)
    assert len(paths) > 20, "every GET route of the app is checked"
    headers = {"Authorization": world["authorization"]}
    async with AsyncTestClient(app) as client:
        for path in paths:
            before = counted.uow.made  # type: ignore[attr-defined]
            response = await client.get(path, headers=headers)

            assert response.status_code < 500, (path, response.text)
            assert counted.uow.made == before, f"GET {path} opened a writing unit of work"
    assert counted.reader.made > len(paths) // 2, "the GETs did read"  # type: ignore[attr-defined]


async def test_the_event_stream_opens_no_writing_unit_of_work(
    counted: Adapters, world: dict[str, str]
) -> None:
    app = create_app(Settings(), counted)
    # The API's stream; the kitchen board's page stream serves the same events through it.
    [stream] = [
        route
        for route in app.routes
        if isinstance(route, WebSocketRoute) and route.path.startswith("/api/")
    ]
    url = _PARAMETER.sub(world["shift_id"], stream.path)
    headers = {"Authorization": world["authorization"]}
    async with AsyncTestClient(app) as client:
        with await client.websocket_connect(url, headers=headers) as socket:
            assert socket.receive_json(timeout=5)["seq"] == 1

    assert counted.uow.made == 0  # type: ignore[attr-defined]
    assert counted.reader.made > 0  # type: ignore[attr-defined]


async def test_a_graphql_query_opens_no_writing_unit_of_work(
    counted: Adapters, world: dict[str, str]
) -> None:
    """The GraphQL read side is a POST, but reads only: every field of its schema."""
    query = """{ trucks { items { id } } locations { items { id } } staff { items { id } }
      truckDevices(truckId: "%(truck_id)s") { items { id } }
      shifts { items { id truck { id } location { id } } } orders { items { id truck { id } } }
      truck(id: "%(truck_id)s") { id } order(id: "%(order_id)s") { id lines { name } }
      audit { items { seq } } webhookEndpoints { items { id } } }"""
    app = create_app(Settings(), counted)
    headers = {"Authorization": world["authorization"]}
    async with AsyncTestClient(app) as client:
        before = counted.uow.made  # type: ignore[attr-defined]
        response = await client.post(
            "/api/v1/graphql", json={"query": query % world}, headers=headers
        )

    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.text
    assert counted.uow.made == before  # type: ignore[attr-defined]
    assert counted.reader.made > 0  # type: ignore[attr-defined]


def test_queries_and_only_queries_are_built_with_the_reading_unit(adapters: Adapters) -> None:
    """What the checks above rest on: a builder's unit follows its use case's folder."""
    for name, build in BUILDERS.items():
        kind = type(build(adapters)).__module__.split(".")[3]
        assert (name in READING) == (kind == "queries"), f"{name} builds one of the {kind}"
