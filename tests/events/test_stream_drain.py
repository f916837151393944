"""A draining worker (``entrypoints/shutdown.py``): its open streams are closed with 1001,
new ones too, readiness fails, and the notification dispatcher finishes what it holds
and claims no more. In process, over in-memory adapters; ``tests/e2e`` does it with
SIGTERM to a real server."""

from __future__ import annotations

import asyncio

from litestar import Litestar
from litestar.testing import TestClient

from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.schemas.stream import CloseCode
from fusionx.entrypoints.http.stream_drain import REASON
from fusionx.entrypoints.notification_dispatcher import BackgroundDispatcher
from fusionx.entrypoints.shutdown import DRAINING, Drain
from tests.events.conftest import Run, Shop
from tests.events.sockets import bearer, closed_with, receive, url
from tests.factories import ShiftWorld


def test_a_drain_closes_streams_going_away_fails_readiness_and_closes_connections(
    client: TestClient[Litestar],
    *,
    run: Run,
    shop: Shop,
    adapters: Adapters,
    world: ShiftWorld,
    token: str,
) -> None:
    assert client.get("/health/ready").status_code == 200
    with client.websocket_connect(url(world.shift.id), headers=bearer(token)) as ws:
        receive(ws, shop.log_length())

        run(adapters.drain.begin)

        assert closed_with(ws) == (CloseCode.GOING_AWAY, REASON)
    with client.websocket_connect(url(world.shift.id), headers=bearer(token)) as late:
        assert closed_with(late) == (CloseCode.GOING_AWAY, REASON)
    ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert DRAINING in ready.text
    live = client.get("/health/live")
    assert live.status_code == 200
    # The client's next request opens a new connection: the balancer sends it elsewhere.
    assert live.headers["connection"] == "close"


class _Batches:
    """A dispatch use case whose batch takes as long as the test says."""

    def __init__(self) -> None:
        self.started = 0
        self.finished = 0
        self.release = asyncio.Event()
        self.running = asyncio.Event()

    async def execute(self) -> int:
        self.started += 1
        self.running.set()
        await self.release.wait()
        self.finished += 1
        return 1


async def test_the_dispatcher_finishes_the_batch_it_holds_and_claims_no_more() -> None:
    batches = _Batches()
    dispatcher = BackgroundDispatcher(batches, poll_seconds=0.01)  # type: ignore[arg-type]
    drain = Drain()
    drain.on_drain(dispatcher.drain)
    await dispatcher.start()
    await batches.running.wait()

    draining = asyncio.create_task(drain.begin())
    await asyncio.sleep(0.05)
    assert not draining.done()  # waits for the batch in hand
    batches.release.set()
    await asyncio.wait_for(draining, 5)

    assert (batches.started, batches.finished) == (1, 1)
    await dispatcher.stop()


async def test_an_idle_dispatcher_stops_at_once() -> None:
    class _Idle(_Batches):
        async def execute(self) -> int:
            self.started += 1
            return 0

    idle = _Idle()
    dispatcher = BackgroundDispatcher(idle, poll_seconds=60)  # type: ignore[arg-type]
    await dispatcher.start()
    await asyncio.sleep(0.01)

    await asyncio.wait_for(dispatcher.drain(), 1)

    assert idle.started == 1
