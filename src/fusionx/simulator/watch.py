"""``fusionx events``: a shift's event stream printed as JSON lines, as a client gets it.

Signs in, asks the stream for the events after ``after`` and prints each one once, in
order. Without ``follow`` it stops at the last event the shift had when it started (so
a script can read what happened); with it, it keeps printing new ones until stopped.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TextIO

import msgspec

from fusionx.simulator.api import FusionxApi
from fusionx.simulator.messages import StreamEvent
from fusionx.simulator.stream import EventStream


@dataclass(frozen=True, kw_only=True)
class WatchConfig:
    base_url: str
    email: str
    password: str
    shift_id: str
    after: int = 0
    follow: bool = False


def watch_events(config: WatchConfig, out: TextIO) -> int:
    """Print the events; raises SimulationError if the server will not serve them."""
    asyncio.run(_watch(config, out))
    return 0


async def _watch(config: WatchConfig, out: TextIO) -> None:
    api = FusionxApi(config.base_url)
    try:
        await api.log_in(config.email, config.password)
        until = None if config.follow else int((await api.shift(config.shift_id))["last_seq"])
        if until is not None and until <= config.after:
            return
        await _print_stream(api, config, until, out)
    finally:
        await api.aclose()


async def _print_stream(
    api: FusionxApi, config: WatchConfig, until: int | None, out: TextIO
) -> None:
    last = config.after
    reached = asyncio.Event()

    def deliver(event: StreamEvent) -> None:
        nonlocal last
        if event.seq <= last:
            return  # a repeat after a reconnection: printed already
        last = event.seq
        print(msgspec.json.encode(event).decode(), file=out, flush=True)
        if until is not None and last >= until:
            reached.set()

    stream = EventStream(
        base_url=api.base_url,
        shift_id=config.shift_id,
        token=api.token,
        resume_from=lambda: last,
        deliver=deliver,
    )
    following = asyncio.create_task(stream.follow())
    waiting = asyncio.create_task(reached.wait())
    try:
        await asyncio.wait({following, waiting}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiting.cancel()
        await stream.stop()
        await following
