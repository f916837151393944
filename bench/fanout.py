"""The event stream under fan-out: N TruckKDS clients on one shift while orders flow.

The harness starts a few subscriber processes (``python -m bench.fanout``), each holding
its share of the WebSocket clients, and drives orders at a fixed rate over HTTP itself.
A subscriber prints ``connected <n>`` once its clients' handshakes are done. The server
still has each client's authentication and catch-up to do, so the harness then places
one probe order and sends ``probe <seq>``: the subscriber answers ``ready <n>`` when its
clients hold that seq, i.e. are live. On ``stop <seq>`` it waits for every client to
reach that seq (for up to a minute: later is lost), reads ``commits <json>`` (when each
event's NOTIFY arrived, from ``bench.commits``), then prints one JSON line: what each
client missed, got twice or got out of order, and two histograms of publish-to-receive
latency of the events after the probe, to the moment the client has read and decoded
each: from the event's ``at``, stamped by the server as the order is taken (before the
order's statements and commit), and from its commit (same host, same clock).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
from collections import Counter
from datetime import datetime
from typing import Any

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

TOKEN_VARIABLE = "BENCH_WS_TOKEN"  # noqa: S105 - the name of a variable, not a secret
HANDSHAKES_AT_ONCE = 50
SETTLE_SECONDS = 60.0  # how late an event may arrive before it counts as lost
BUCKET_MS = 0.1  # latency histogram resolution


class Message(msgspec.Struct, frozen=True):
    type: str
    seq: int = 0
    at: datetime | None = None


class Report(msgspec.Struct, frozen=True, kw_only=True):
    clients: int
    connected: int
    closed_early: int
    received: int
    lost: int
    duplicated: int
    out_of_order: int
    latency_ms: dict[str, int]  # bucket (ms, as text) -> count, from the event's `at`
    commit_latency_ms: dict[str, int]  # the same, from the commit (its NOTIFY's arrival)
    slowest_ms: dict[str, float]  # seq (as text) -> the latest delivery of it, ms


_decode = msgspec.json.Decoder(Message).decode
_PONG = '{"type":"pong"}'


class _Client:
    def __init__(self) -> None:
        self.seqs: list[int] = []
        self.latencies: list[tuple[int, float, float]] = []  # (seq, at, received), Unix s
        self.connected = False
        self.closed = False
        self.settled = asyncio.Event()  # connected, or failed to
        self.reached = asyncio.Event()  # holds the target seq, or is gone
        self.target = 0
        # Latency is measured for the events after the probe only: the catch-up and the
        # probe itself arrive during the connect storm, which is not what is measured.
        self.timed_after: int | None = None

    async def run(self, url: str, token: str, gate: asyncio.Semaphore) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        try:
            async with gate:
                socket = await connect(url, additional_headers=headers, ping_interval=None)
            self.connected = True
            self.settled.set()
            async with socket:
                await self._read(socket)
        except (OSError, ConnectionClosed, TimeoutError):
            pass
        self.closed = True
        self.settled.set()
        self.reached.set()

    async def _read(self, socket: ClientConnection) -> None:
        async for raw in socket:
            received = time.time()
            message = _decode(raw)
            if message.type == "ping":
                await socket.send(_PONG)
                continue
            self.seqs.append(message.seq)
            timed_after = self.timed_after
            if message.at is not None and timed_after is not None and message.seq > timed_after:
                self.latencies.append((message.seq, message.at.timestamp(), received))
            if self.target and message.seq >= self.target:
                self.reached.set()

    def expect(self, seq: int) -> None:
        self.target = seq
        self.reached.clear()
        if self.closed or (self.seqs and max(self.seqs) >= seq):
            self.reached.set()


def _bucket(seconds: float) -> str:
    return f"{round(seconds * 1000 / BUCKET_MS) * BUCKET_MS:.1f}"


def _report(clients: list[_Client], after: int, final: int, commits: dict[int, float]) -> Report:
    expected = set(range(after + 1, final + 1))
    lost = duplicated = disorder = 0
    histogram: Counter[str] = Counter()
    from_commit: Counter[str] = Counter()
    slowest: dict[str, float] = {}
    for client in clients:
        seen = set(client.seqs)
        lost += len(expected - seen)
        duplicated += len(client.seqs) - len(seen)
        disorder += sum(1 for a, b in zip(client.seqs, client.seqs[1:], strict=False) if b <= a)
        for seq, at, received in client.latencies:
            seconds = received - at
            histogram[_bucket(seconds)] += 1
            slowest[str(seq)] = max(slowest.get(str(seq), 0.0), round(seconds * 1000, 1))
            committed = commits.get(seq)
            if committed is not None:
                # The server publishes its own commits before PostgreSQL's NOTIFY reaches
                # the listener: a fast delivery can come out a little below 0.
                from_commit[_bucket(received - committed)] += 1
    return Report(
        clients=len(clients),
        connected=sum(c.connected for c in clients),
        closed_early=sum(c.closed for c in clients),
        received=sum(len(c.seqs) for c in clients),
        lost=lost,
        duplicated=duplicated,
        out_of_order=disorder,
        latency_ms=dict(histogram),
        commit_latency_ms=dict(from_commit),
        slowest_ms=slowest,
    )


async def _subscribe(url: str, count: int, after: int) -> None:
    token = os.environ[TOKEN_VARIABLE]
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(HANDSHAKES_AT_ONCE)
    clients = [_Client() for _ in range(count)]
    tasks = [asyncio.create_task(c.run(f"{url}?last_seq={after}", token, gate)) for c in clients]
    await asyncio.gather(*(c.settled.wait() for c in clients))
    print("connected", sum(c.connected for c in clients), flush=True)
    probe = int((await loop.run_in_executor(None, sys.stdin.readline)).split()[1])
    await _all_reach(clients, probe)
    for client in clients:
        client.timed_after = probe
    live = sum(1 for c in clients if not c.closed and c.seqs and max(c.seqs) >= probe)
    print("ready", live, flush=True)
    final = int((await loop.run_in_executor(None, sys.stdin.readline)).split()[1])
    await _all_reach(clients, final)
    line = await loop.run_in_executor(None, sys.stdin.readline)
    commits = {int(seq): at for seq, at in msgspec.json.decode(line.split(maxsplit=1)[1]).items()}
    report = _report(clients, after, final, commits)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(msgspec.json.encode(report).decode(), flush=True)


async def _all_reach(clients: list[_Client], seq: int) -> None:
    """Until every client holds ``seq`` or is gone, for up to SETTLE_SECONDS."""
    for client in clients:
        client.expect(seq)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(SETTLE_SECONDS):
            await asyncio.gather(*(c.reached.wait() for c in clients))


def merge(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """Several subscribers' reports as one, with latency percentiles."""
    histogram: Counter[float] = Counter()
    from_commit: Counter[float] = Counter()
    slowest: dict[int, float] = {}
    total: dict[str, Any] = {}
    for report in reports:
        for key in ("clients", "connected", "closed_early", "received", "lost", "duplicated",
                    "out_of_order"):  # fmt: skip
            total[key] = total.get(key, 0) + report[key]
        histogram.update({float(ms): n for ms, n in report["latency_ms"].items()})
        from_commit.update({float(ms): n for ms, n in report["commit_latency_ms"].items()})
        for seq, ms in report["slowest_ms"].items():
            slowest[int(seq)] = max(slowest.get(int(seq), 0.0), ms)
    total |= {f"p{p}_ms": _percentile(histogram, p) for p in (50, 90, 99)}
    total["max_ms"] = max(histogram, default=None)
    total |= {f"commit_p{p}_ms": _percentile(from_commit, p) for p in (50, 90, 99)}
    total["commit_max_ms"] = max(from_commit, default=None)
    total["commit_timed"] = sum(from_commit.values())  # deliveries whose commit was heard
    total["slowest_ms_by_seq"] = dict(sorted(slowest.items()))
    return total


def _percentile(histogram: Counter[float], percent: float) -> float | None:
    count = sum(histogram.values())
    if not count:
        return None
    rank, seen = percent / 100 * count, 0
    for ms in sorted(histogram):
        seen += histogram[ms]
        if seen >= rank:
            return ms
    return max(histogram)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="ws://…/api/v1/shifts/<id>/events")
    parser.add_argument("--clients", type=int, required=True)
    parser.add_argument("--after", type=int, required=True, help="last_seq the clients hold")
    args = parser.parse_args()
    asyncio.run(_subscribe(args.url, args.clients, args.after))


if __name__ == "__main__":
    main()
