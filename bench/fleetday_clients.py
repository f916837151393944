"""One process of the fleet-day's load: its share of the trucks, as their kitchens use them.

``python -m bench.fleetday_clients`` reads its plan (JSON, one line) on standard input.
For each of its trucks it holds every kitchen device's WebSocket on the truck's shift,
and each device polls the kitchen feed with ``If-None-Match`` and sends a heartbeat on
its own period. Orders arrive at the window at the process's share of the fleet's rate
(Poisson arrivals, an open loop: on schedule however long each answer takes), each on a
truck picked at random. The truck's first device moves each ticket it sees created on
its stream NEW -> IN_PREP -> READY -> COMPLETED after prep times drawn from the plan.

The conversation with the driver (``bench.fleetday``), one line each way:
``connected <n>`` once every socket is open; ``go`` starts the day; after ``duration`` s
no new work starts, in-flight requests finish and ``done`` is printed; then ``final
{shift: seq}`` names each shift's last event, every device waits until it holds it (up to
a minute: later is lost) and the process prints its report as one JSON line.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import sys
import time
from datetime import datetime
from typing import Any

import httpx
import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bench.fleetday_stats import Recorder

SETTLE_SECONDS = 60.0
HANDSHAKES_AT_ONCE = 50
_PONG = '{"type":"pong"}'


class Plan(msgspec.Struct, frozen=True, kw_only=True):
    base_url: str
    duration: float
    rate: float  # orders/s for this process
    poll_interval: float
    heartbeat_interval: float
    prep_seconds: tuple[tuple[float, float], ...]  # per move: (low, high)
    items: list[str]
    scarce: list[str]
    trucks: list[TruckPlan]
    seed: int


class TruckPlan(msgspec.Struct, frozen=True, kw_only=True):
    shift: str
    credentials: list[str]  # one per kitchen device; the first also takes the orders
    last_seq: int
    open: list[tuple[str, str, int]] = []  # tickets on the display: id, state, version


class _Ticket(msgspec.Struct):
    id: str
    version: int = 1


class _Data(msgspec.Struct):
    ticket: _Ticket | None = None


class _Message(msgspec.Struct, frozen=True):
    type: str
    seq: int = 0
    at: datetime | None = None
    data: _Data | None = None


_decode = msgspec.json.Decoder(_Message).decode
MOVES = ("in_prep", "ready", "completed")


class _Device:
    """One TruckKDS tablet: its stream, its feed polls, its heartbeats."""

    def __init__(self, day: _Day, truck: TruckPlan, credential: str, *, works: bool) -> None:
        self.day = day
        self.truck = truck
        self.auth = {"Authorization": f"Bearer {credential}"}
        self.works = works  # the device that moves the tickets
        self.seqs: list[int] = []
        self.held = truck.last_seq
        self.target = 0
        self.reached = asyncio.Event()
        self.opened = asyncio.Event()  # connected, or failed to the first time
        self.connected = False

    async def follow(self) -> None:
        """The stream, reconnected from the last seq held if the server drops it."""
        url = self.day.ws_url + f"/api/v1/shifts/{self.truck.shift}/events"
        while not self.day.finished:
            try:
                async with self.day.gate:
                    socket = await connect(
                        f"{url}?last_seq={self.held}", additional_headers=self.auth,
                        ping_interval=None, open_timeout=60,
                    )  # fmt: skip
                self.connected = True
                self.opened.set()
                async with socket:
                    await self._read(socket)
            except (OSError, ConnectionClosed, TimeoutError) as error:
                self.day.stats.error("stream", f"closed: {type(error).__name__}")
            else:
                if not self.day.finished:
                    self.day.stats.error("stream", "closed by the server")
            self.opened.set()
            if not self.day.finished:
                await asyncio.sleep(1)
        self.reached.set()

    async def _read(self, socket: ClientConnection) -> None:
        async for raw in socket:
            received = time.time()
            message = _decode(raw)
            if message.type == "ping":
                await socket.send(_PONG)
                continue
            self.seqs.append(message.seq)
            self.held = max(self.held, message.seq)
            if message.at is not None and self.day.started:
                self.day.stats.lag(received - message.at.timestamp())
            ticket = message.data.ticket if message.data else None
            if self.works and message.type == "order.created" and ticket and self.day.running:
                self.day.spawn(self.day.work(self, ticket))
            if self.target and self.held >= self.target:
                self.reached.set()
            if self.day.finished and self.target and self.held >= self.target:
                return

    def expect(self, seq: int) -> None:
        self.target = seq
        if self.held >= seq:
            self.reached.set()

    async def poll(self) -> None:
        etag = None
        if not await self.day.pause(self.day.rng.uniform(0, self.day.plan.poll_interval)):
            return
        path = f"/api/v1/shifts/{self.truck.shift}/tickets"
        while self.day.running:
            headers = self.auth | ({"If-None-Match": etag} if etag else {})
            response = await self.day.call("feed", "GET", path, headers=headers, ok=(200, 304))
            if response is not None and response.status_code == 200:
                etag = response.headers.get("ETag")
            if not await self.day.pause(self.day.plan.poll_interval):
                return

    async def beat(self) -> None:
        if not await self.day.pause(self.day.rng.uniform(0, self.day.plan.heartbeat_interval)):
            return
        while self.day.running:
            body = {"app_version": "1.0", "os_version": "17", "last_seq": self.held,
                    "battery_percent": 80}  # fmt: skip
            await self.day.call(
                "heartbeat", "POST", "/api/v1/devices/heartbeat", headers=self.auth, json=body
            )
            if not await self.day.pause(self.day.plan.heartbeat_interval):
                return


class _Day:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.stats = Recorder()
        self.ws_url = plan.base_url.replace("http://", "ws://")
        self.gate = asyncio.Semaphore(HANDSHAKES_AT_ONCE)
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
        self.http = httpx.AsyncClient(base_url=plan.base_url, limits=limits, timeout=30)
        self.devices = [
            [_Device(self, t, c, works=n == 0) for n, c in enumerate(t.credentials)]
            for t in plan.trucks
        ]
        self.started = self.running = self.finished = False
        self.tasks: set[asyncio.Task[None]] = set()
        self.stopping = asyncio.Event()

    async def pause(self, seconds: float) -> bool:
        """Sleep ``seconds``; False if the day ended meanwhile (no new work then)."""
        try:
            await asyncio.wait_for(self.stopping.wait(), seconds)
        except TimeoutError:
            return True
        return False

    def spawn(self, work: Any) -> None:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def call(
        self, route: str, method: str, path: str, *, ok: tuple[int, ...] = (200, 201), **kw: Any
    ) -> httpx.Response | None:
        started = time.monotonic()
        try:
            response = await self.http.request(method, path, **kw)
        except httpx.HTTPError as error:
            self.stats.error(route, type(error).__name__)
            return None
        name = f"{route} 304" if response.status_code == 304 else route
        self.stats.answer(name, time.monotonic() - started)
        if response.status_code in ok:
            return response
        self.stats.refusal(route, response)
        return None

    async def order(self) -> None:
        devices = self.rng.choice(self.devices)
        lines = []
        for _ in range(self.rng.randint(1, 3)):
            scarce = self.plan.scarce and self.rng.random() < 0.033
            item = self.rng.choice(self.plan.scarce if scarce else self.plan.items)
            lines.append({"item_id": item, "quantity": self.rng.randint(1, 2)})
        body = {"lines": lines, "customer_name": "Bench"}
        path = f"/api/v1/shifts/{devices[0].truck.shift}/orders"
        await self.call("order", "POST", path, headers=devices[0].auth, json=body, ok=(201,))

    async def work(self, device: _Device, ticket: _Ticket, state: str = "new") -> None:
        """The ticket through the kitchen from ``state``, each move after its prep time.

        A ticket already on the display when the day starts has been in its state for an
        unknown while: its first wait is drawn from zero to the step's longest.
        """
        version = ticket.version
        steps = list(zip(MOVES, self.plan.prep_seconds, strict=True))
        first = 0 if state == "new" else MOVES.index(state) + 1
        for n, (target, (low, high)) in enumerate(steps[first:]):
            wait = self.rng.uniform(low if n or state == "new" else 0, high)
            if not await self.pause(wait):
                return
            body = {"to": target, "version": version}
            path = f"/api/v1/tickets/{ticket.id}/transitions"
            response = await self.call("transition", "POST", path, headers=device.auth, json=body)
            if response is None:
                return
            version = int(response.json().get("version", version + 1))
            self.stats.moved(target)

    async def orders(self) -> None:
        if self.plan.rate <= 0:
            return
        started = time.monotonic()
        due = started
        while (due := due + self.rng.expovariate(self.plan.rate)) < started + self.plan.duration:
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            self.spawn(self.order())


async def _line() -> str:
    return await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)


async def _day(plan: Plan) -> None:
    day = _Day(plan)
    devices = [d for truck in day.devices for d in truck]
    followers = [asyncio.create_task(d.follow()) for d in devices]
    await asyncio.gather(*(d.opened.wait() for d in devices))
    print("connected", sum(d.connected for d in devices), flush=True)
    await _line()  # go
    day.started = day.running = True
    day.stats.start()
    for device in devices:
        day.spawn(device.poll())
        day.spawn(device.beat())
        for ticket, state, version in device.truck.open if device.works else ():
            day.spawn(day.work(device, _Ticket(ticket, version), state))
    await asyncio.gather(day.orders(), asyncio.sleep(plan.duration))
    day.running = False
    day.stopping.set()
    while day.tasks:
        await asyncio.gather(*list(day.tasks), return_exceptions=True)
    day.stats.stop()
    print("done", flush=True)
    finals: dict[str, int] = msgspec.json.decode((await _line()).split(" ", 1)[1])
    day.finished = True
    for device in devices:
        device.expect(finals[device.truck.shift])
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(SETTLE_SECONDS):
            await asyncio.gather(*(d.reached.wait() for d in devices))
    for follower in followers:
        follower.cancel()
    await asyncio.gather(*followers, return_exceptions=True)
    await day.http.aclose()
    for device in devices:
        day.stats.stream(device.truck.last_seq, finals[device.truck.shift], device.seqs)
    print(msgspec.json.encode(day.stats.report()).decode(), flush=True)


def main() -> None:
    plan = msgspec.json.decode(sys.stdin.readline(), type=Plan)
    asyncio.run(_day(plan))


if __name__ == "__main__":
    main()
