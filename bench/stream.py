"""Driving the event-stream scenario: subscriber processes hold the clients (see
``bench.fanout``), a listener process stamps each event's commit (``bench.commits``),
this side places orders on the shift at a fixed rate and collects what they all saw."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from typing import Any

import httpx
import psutil

from bench import fanout, sampling
from bench.api import Api, orders_path
from bench.config import BenchConfig
from bench.meter import CpuMeter, Finder
from bench.seed import Fleet
from bench.servers import BenchError, Server

EVENTS_PER_ORDER = 2  # an order of one line: order.created, then stock.changed


async def measure_stream(
    config: BenchConfig,
    api: Api,
    fleet: Fleet,
    fusionx: Server,
    parties: Mapping[str, Finder],
    *,
    dsn: str,
    stream_from: Server | None = None,
) -> dict[str, Any]:
    """``config.ws_clients`` clients on the first shift while orders flow into it through
    ``fusionx``; the clients follow ``stream_from`` (the floor), or FusionX by default.
    ``dsn`` is the bench database's, on which commits are heard."""
    shift = fleet.shifts[0]
    after = api.last_seq(shift.id)
    streams = stream_from or fusionx
    url = streams.base_url.replace("http://", "ws://") + f"/api/v1/shifts/{shift.id}/events"
    shares = [config.ws_clients // config.ws_processes] * config.ws_processes
    shares[0] += config.ws_clients - sum(shares)
    env = os.environ | {fanout.TOKEN_VARIABLE: shift.credential}
    subscribers = [_subscriber(url, n, after, env) for n in shares]
    commits = _commit_listener(dsn, str(shift.id))
    item = next(i for i in fleet.items if not i.scarce)
    body = {"lines": [{"item_id": str(item.id), "quantity": 1}]}
    headers = {"Authorization": f"Bearer {shift.credential}"}
    try:
        connected = sum(await asyncio.gather(*(_said(s, "connected") for s in subscribers)))
        await _said(commits, "listening", counted=False)
        # One order first: once every client has it, every client is live.
        api.place_order(shift.id, shift.credential, body)
        probe = api.last_seq(shift.id)
        for subscriber in subscribers:
            _tell(subscriber, f"probe {probe}")
        live = sum(await asyncio.gather(*(_said(s, "ready") for s in subscribers)))
        watched = [psutil.Process(s.pid) for s in subscribers]
        own = [psutil.Process()]
        profile_to = None
        if config.profile:
            workers = len(streams.workers())
            name = "stream" if stream_from is None else f"{streams.name.split('-')[0]}-stream"
            profile_to = config.results.parent / "profiles" / f"{name}-w{workers}.txt"
        with CpuMeter(**parties, clients=lambda: watched, driver=lambda: own) as meter:
            recorders = (
                sampling.start(streams.workers(), profile_to, config.ws_duration)
                if profile_to
                else []
            )
            async with httpx.AsyncClient(base_url=fusionx.base_url, headers=headers) as client:
                orders = await _place_at_rate(
                    client, orders_path(shift.id), body, config.ws_rate / EVENTS_PER_ORDER,
                    config.ws_duration,
                )  # fmt: skip
            final = api.last_seq(shift.id)
            committed = (await _finish(commits, f"stop {final}\n")).strip()
            told = f"stop {final}\ncommits {committed}\n"
            said = await asyncio.gather(*(_finish(s, told) for s in subscribers))
            reports = [json.loads(line) for line in said]
        if profile_to:
            sampling.finish(recorders, profile_to)
    finally:
        for process in [*subscribers, commits]:
            if process.poll() is None:
                process.kill()
    published = final - probe
    return fanout.merge(reports) | {
        "events_published": published,
        "events_per_s": round(published / config.ws_duration, 1),
        "orders": orders,
        "cpu_percent": meter.percent(),
        "connected_at_start": connected,
        "live_at_start": live,
        "probe_seq": probe,
        "commits_heard": len(json.loads(committed)),
    }


def _subscriber(url: str, clients: int, after: int, env: dict[str, str]) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "bench.fanout", "--url", url]
    command += ["--clients", str(clients), "--after", str(after)]
    return subprocess.Popen(  # noqa: S603 - our own module
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


def _commit_listener(dsn: str, shift_id: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "bench.commits", "--dsn", dsn, "--shift", shift_id]
    return subprocess.Popen(  # noqa: S603 - our own module
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


async def _said(subscriber: subprocess.Popen[str], word: str, *, counted: bool = True) -> int:
    """Wait for the process's ``<word> <n>`` line (``<word>`` if not ``counted``); return n."""
    if subscriber.stdout is None:
        raise BenchError("a stream subscriber has no output pipe")
    line = await asyncio.to_thread(subscriber.stdout.readline)
    if not line.startswith(word):
        raise BenchError(f"a stream subscriber said {line.strip()!r}, not {word!r}")
    return int(line.split()[1]) if counted else 0


def _tell(subscriber: subprocess.Popen[str], line: str) -> None:
    if subscriber.stdin is None:
        raise BenchError("a stream subscriber has no input pipe")
    subscriber.stdin.write(line + "\n")
    subscriber.stdin.flush()


async def _finish(process: subprocess.Popen[str], told: str) -> str:
    """Tell the process ``told`` and wait for it to end; its last line (a JSON report)."""
    out, _ = await asyncio.to_thread(process.communicate, told, 120)
    lines = out.strip().splitlines()
    if not lines:
        raise BenchError("a stream subscriber ended without a report")
    return lines[-1]


async def _place_at_rate(
    client: httpx.AsyncClient, path: str, body: object, rate: float, duration: float
) -> dict[str, int]:
    """POST ``body`` ``rate`` times a second for ``duration`` s, on schedule however long
    each answer takes (an open loop, as orders arrive at a window). Answers by status."""
    statuses: dict[str, int] = {}

    async def place() -> None:
        try:
            code = str((await client.post(path, json=body, timeout=30)).status_code)
        except httpx.HTTPError as error:
            code = type(error).__name__
        statuses[code] = statuses.get(code, 0) + 1

    interval, started = 1 / rate, time.monotonic()
    tasks: list[asyncio.Task[None]] = []
    while (elapsed := time.monotonic() - started) < duration:
        if elapsed >= len(tasks) * interval:
            tasks.append(asyncio.create_task(place()))
        await asyncio.sleep(min(interval / 4, 0.01))
    await asyncio.gather(*tasks)
    return statuses
