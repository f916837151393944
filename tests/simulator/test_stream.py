"""The WebSocket follower against a small fake of the events endpoint."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from functools import partial
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from fusionx.simulator.errors import SimulationError
from fusionx.simulator.messages import StreamEvent
from fusionx.simulator.stream import EventStream

TOKEN = "fxs_secret"


class FakeEventsEndpoint:
    """Replays the log after ``last_seq``, then sends what is appended; pings first."""

    def __init__(self) -> None:
        self.log: list[dict[str, object]] = []
        self.asked: list[int] = []
        self.pongs = 0
        self._appended = asyncio.Condition()

    async def append(self, count: int) -> None:
        async with self._appended:
            for _ in range(count):
                seq = len(self.log) + 1
                self.log.append(
                    {"seq": seq, "type": "stock.changed", "at": "2026-01-01T00:00:00Z",
                     "shift_id": "s1", "data": {"on_hand": seq}}
                )  # fmt: skip
            self._appended.notify_all()

    def authorize(self, _: ServerConnection, request: Request) -> Response | None:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return Response(HTTPStatus.UNAUTHORIZED, "Unauthorized", request.headers.__class__())
        return None

    async def handle(self, ws: ServerConnection) -> None:
        assert ws.request is not None
        sent = int(parse_qs(urlsplit(ws.request.path).query)["last_seq"][0])
        self.asked.append(sent)
        await ws.send(json.dumps({"type": "ping"}))
        assert json.loads(await ws.recv()) == {"type": "pong"}
        self.pongs += 1
        pump = asyncio.create_task(self._pump(ws, sent))
        await ws.wait_closed()
        pump.cancel()

    def _beyond(self, sent: int) -> bool:
        return len(self.log) > sent

    async def _pump(self, ws: ServerConnection, sent: int) -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                async with self._appended:
                    await self._appended.wait_for(partial(self._beyond, sent))
                for event in self.log[sent:]:
                    await ws.send(json.dumps(event))
                sent = len(self.log)


@pytest.fixture
async def endpoint() -> AsyncIterator[tuple[FakeEventsEndpoint, Server]]:
    fake = FakeEventsEndpoint()
    async with serve(fake.handle, "127.0.0.1", 0, process_request=fake.authorize) as server:
        yield fake, server


def base_url(server: Server) -> str:
    port = next(iter(server.sockets)).getsockname()[1]
    return f"http://127.0.0.1:{port}"


class Received:
    def __init__(self) -> None:
        self.events: list[StreamEvent] = []
        self._arrived = asyncio.Event()

    def deliver(self, event: StreamEvent) -> None:
        self.events.append(event)
        self._arrived.set()

    def last_seq(self) -> int:
        return self.events[-1].seq if self.events else 0

    async def until(self, count: int) -> None:
        async with asyncio.timeout(5):
            while len(self.events) < count:
                self._arrived.clear()
                await self._arrived.wait()


async def test_a_dropped_stream_resumes_after_the_last_event_it_delivered(
    endpoint: tuple[FakeEventsEndpoint, Server],
) -> None:
    fake, server = endpoint
    got = Received()
    stream = EventStream(
        base_url=base_url(server), shift_id="s1", token=TOKEN,
        resume_from=got.last_seq, deliver=got.deliver,
    )  # fmt: skip
    await fake.append(3)
    following = asyncio.create_task(stream.follow())

    await got.until(3)
    await stream.drop()
    await fake.append(2)
    await got.until(5)
    await stream.stop()
    await following

    assert [e.seq for e in got.events] == [1, 2, 3, 4, 5]
    assert fake.asked == [0, 3]
    assert (stream.connections, stream.resumed_at, stream.planned_drops) == (2, [3], 1)
    assert (stream.unplanned_drops, stream.pings, fake.pongs) == (0, 2, 2)


async def test_a_refused_first_connection_stops_the_simulation(
    endpoint: tuple[FakeEventsEndpoint, Server],
) -> None:
    _, server = endpoint
    stream = EventStream(
        base_url=base_url(server), shift_id="s1", token="fxs_wrong",
        resume_from=lambda: 0, deliver=lambda _: None,
    )  # fmt: skip

    with pytest.raises(SimulationError, match=r"cannot follow the event stream.*401"):
        await stream.follow()
