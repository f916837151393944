"""When each event of the stream scenario's shift was committed, seen from outside the server.

FusionX notifies every event on PostgreSQL's channel in the transaction that logs it, so
its NOTIFY reaches a listener the moment the transaction commits. This process (``python
-m bench.commits``) holds one LISTEN connection of its own, idle otherwise, and stamps each
notification of the shift as it arrives: the stream's clients then measure their latency
from the commit as well as from the event's ``at`` (stamped before the order's
statements), which separates the order's own time from the stream's.

It prints ``listening`` once LISTEN is in place; on ``stop <seq>`` it waits (for up to a
minute) until it has heard that seq, then prints one JSON line: seq (as text) -> the
Unix time its notification arrived.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from typing import Any

import asyncpg

CHANNEL = "fusionx_events"  # fusionx.adapters.events.pg_payload.CHANNEL
SETTLE_SECONDS = 60.0


def seq_of(payload: str, shift_id: str) -> int | None:
    """The seq of a notified event of ``shift_id``, whole or a pointer; else None."""
    message: dict[str, Any] = json.loads(payload)
    body = message.get("event", message)
    if message.get("type") not in {"event", "pointer"} or body.get("shift_id") != shift_id:
        return None
    return int(body["seq"])


async def _watch(dsn: str, shift_id: str) -> None:
    arrived: dict[int, float] = {}
    heard = asyncio.Event()

    def on_notification(_connection: object, _pid: int, _channel: str, payload: str) -> None:
        now = time.time()
        seq = seq_of(payload, shift_id)
        if seq is not None:
            arrived.setdefault(seq, now)  # a repeat (none expected) keeps the first
            heard.set()

    connection = await asyncpg.connect(dsn)
    try:
        await connection.add_listener(CHANNEL, on_notification)
        print("listening", flush=True)
        loop = asyncio.get_running_loop()
        final = int((await loop.run_in_executor(None, sys.stdin.readline)).split()[1])
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(SETTLE_SECONDS):
                while final not in arrived:
                    heard.clear()
                    await heard.wait()
    finally:
        await connection.close()
    print(json.dumps({str(seq): at for seq, at in sorted(arrived.items())}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dsn", required=True, help="postgresql://… of the bench database")
    parser.add_argument("--shift", required=True, help="the shift whose events to stamp")
    args = parser.parse_args()
    asyncio.run(_watch(args.dsn, args.shift))


if __name__ == "__main__":
    main()
