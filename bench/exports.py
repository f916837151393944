"""The export scenario: many orders (200,000 by default) seeded by COPY, then exported as
CSV through the API while each FusionX worker's memory is sampled.

What it holds FusionX to: the export streams (the worker's resident memory grows by
less than ``MEMORY_BOUND_MB`` over its level before the request, whatever the size),
and the first bytes arrive at once (time to first byte, beside the whole export's time).
``python -m bench.exports`` runs it alone, on a fresh database with one worker, without
wrk; ``nox -s bench`` runs it in every round and fails when the bound does not hold.
"""

from __future__ import annotations

import asyncio
import random
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import psutil

from bench.api import OWNER_EMAIL, OWNER_PASSWORD
from bench.config import LOCAL_POSTGRES, RESULTS_DIR, SERVER_URL_VARIABLE
from bench.database import fresh_database
from bench.seed import Fleet, seed_base
from bench.servers import fusionx_cli, start_fusionx

MEMORY_BOUND_MB = 30.0
SAMPLE_EVERY_S = 0.02
_CHUNK = 20_000  # orders per COPY


async def seed_orders(connection: asyncpg.Connection, fleet: Fleet, count: int) -> None:
    """``count`` served window orders of one line each over the last 30 days, spread over
    one closed shift per truck (so the books see them, not the open shifts' kitchens)."""
    rng = random.Random(17)  # the same orders every run
    now = datetime.now(UTC)
    start = now - timedelta(days=30)
    actor = fleet.owner_id or uuid.uuid4()
    shifts = [uuid.uuid4() for _ in fleet.trucks]
    await connection.copy_records_to_table(
        "shifts",
        columns=("id", "truck_id", "location_id", "state", "opened_at", "opened_by_kind",
                 "opened_by_id", "closed_at", "last_seq", "last_order_number"),
        records=[
            (shift, truck, fleet.locations[n % len(fleet.locations)], "closed", start,
             "staff", actor, now, 0, count)
            for n, (shift, truck) in enumerate(zip(shifts, fleet.trucks, strict=True))
        ],
    )  # fmt: skip
    step = (now - start) / max(1, count)
    for first in range(0, count, _CHUNK):
        orders, lines, tickets = [], [], []
        for n in range(first, min(count, first + _CHUNK)):
            order_id, shift = uuid.uuid4(), shifts[n % len(shifts)]
            item = fleet.items[rng.randrange(len(fleet.items))]
            quantity = rng.choice((1, 1, 2, 3))
            at = start + step * n
            total = item.price_cents * quantity
            orders.append((order_id, shift, n + 1, "window", total, at, "staff", actor,
                           f"Customer {n % 997}", f"+4420{n:08d}"))  # fmt: skip
            lines.append((order_id, 0, item.id, item.name, item.price_cents, quantity, None))
            tickets.append((uuid.uuid4(), order_id, shift, n + 1, "completed", 4, at, at))
        await connection.copy_records_to_table(
            "orders",
            columns=("id", "shift_id", "number", "channel", "total_cents", "created_at",
                     "created_by_kind", "created_by_id", "customer_name", "customer_phone"),
            records=orders,
        )  # fmt: skip
        await connection.copy_records_to_table(
            "order_lines",
            columns=("order_id", "position", "item_id", "name", "unit_price_cents", "quantity",
                     "notes"),
            records=lines,
        )  # fmt: skip
        await connection.copy_records_to_table(
            "tickets",
            columns=("id", "order_id", "shift_id", "number", "state", "version", "created_at",
                     "updated_at"),
            records=tickets,
        )  # fmt: skip
    await connection.execute("ANALYZE")


class _Sampler:
    """The largest resident set of ``processes`` (MB), sampled on a thread."""

    def __init__(self, processes: list[psutil.Process]) -> None:
        self.processes = processes
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> float:
        return max(p.memory_info().rss for p in self.processes) / 2**20

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.now())
            time.sleep(SAMPLE_EVERY_S)


def measure_export(base_url: str, workers: list[psutil.Process], orders: int) -> dict[str, Any]:
    """Sign in as the owner, export every order as CSV, and say what it cost."""
    with httpx.Client(base_url=base_url, timeout=600) as client:
        body = {"email": OWNER_EMAIL, "password": OWNER_PASSWORD}
        token = client.post("/api/v1/auth/login", json=body).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        # One small export first, so that what is measured is the export, not the first
        # request's imports and caches.
        client.get("/api/v1/exports/orders", params={"from_date": "2000-01-01",
                   "to_date": "2000-01-01"}, headers=headers)  # fmt: skip
        sampler = _Sampler(workers)
        baseline = sampler.now()
        rows, size, first_byte = -1, 0, None  # the header is no order
        started = time.perf_counter()
        with sampler, client.stream("GET", "/api/v1/exports/orders", headers=headers) as answer:
            answer.raise_for_status()
            for chunk in answer.iter_bytes():
                if first_byte is None:
                    first_byte = time.perf_counter() - started
                size += len(chunk)
                rows += chunk.count(b"\n")
        seconds = time.perf_counter() - started
    growth = max(0.0, sampler.peak - baseline)
    return {
        "orders": orders,
        "rows": rows,
        "megabytes": round(size / 2**20, 1),
        "first_byte_ms": round((first_byte or 0) * 1000, 1),
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds) if seconds else None,
        "rss_before_mb": round(baseline, 1),
        "rss_peak_mb": round(sampler.peak, 1),
        "rss_growth_mb": round(growth, 1),
        "memory_bound_mb": MEMORY_BOUND_MB,
        # Every order seeded is in the file (and those of the other scenarios, in a round).
        "rows_complete": rows >= orders,
        "within_bound": growth < MEMORY_BOUND_MB,
    }


async def _alone(orders: int) -> dict[str, Any]:
    import os  # noqa: PLC0415

    server_url = os.environ.get(SERVER_URL_VARIABLE, LOCAL_POSTGRES)
    async with fresh_database(server_url) as db:
        fusionx_cli(db.url, "db", "upgrade")
        connection = await asyncpg.connect(db.dsn)
        try:
            fleet = await seed_base(connection, 20, 40)
            printed = fusionx_cli(
                db.url, "create-staff", "--email", OWNER_EMAIL, "--password", "-",
                "--name", "Bench Owner", "--role", "owner", stdin=OWNER_PASSWORD + "\n",
            )  # fmt: skip
            fleet.owner_id = uuid.UUID(printed.splitlines()[-1])
            print(f"seeding {orders} orders", file=sys.stderr)
            await seed_orders(connection, fleet, orders)
        finally:
            await connection.close()
        server = start_fusionx(db.url, 1, RESULTS_DIR / "logs")
        try:
            return measure_export(server.base_url, server.workers(), orders)
        finally:
            server.stop()


if __name__ == "__main__":
    import json

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    result = asyncio.run(_alone(count))
    print(json.dumps(result, indent=2))
    sys.exit(0 if result["within_bound"] and result["rows_complete"] else 1)
