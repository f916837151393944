"""The fleet-day's fleet made ready: devices and check-ins through the API, as a fleet's
owner would, and what the day starts from read back from the database."""

from __future__ import annotations

import uuid

import asyncpg

from bench.api import OWNER_EMAIL, OWNER_PASSWORD, Api
from bench.database import BenchDatabase
from bench.seed import Fleet, Shift
from bench.servers import Server, fusionx_cli


def open_shifts(fusionx: Server, fleet: Fleet, devices: int) -> dict[uuid.UUID, list[str]]:
    """Every truck's devices and its open shift, through the API; the credentials by shift."""
    api = Api(fusionx.base_url)
    credentials = {}
    try:
        api.log_in()
        for n, truck in enumerate(fleet.trucks):
            mine = [api.register_device(truck) for _ in range(devices)]
            shift = api.check_in(truck, fleet.locations[n % len(fleet.locations)])
            fleet.shifts.append(Shift(id=shift, truck_id=truck, credential=mine[0]))
            credentials[shift] = mine
    finally:
        api.close()
    return credentials


async def open_tickets(
    connection: asyncpg.Connection,
) -> dict[uuid.UUID, list[tuple[str, str, int]]]:
    """The tickets on each open shift's display: the kitchen works them from the start."""
    rows = await connection.fetch(
        "SELECT t.id, t.shift_id, t.state, t.version FROM tickets t JOIN shifts s"
        " ON s.id = t.shift_id WHERE s.closed_at IS NULL AND t.state IN ('new', 'in_prep', 'ready')"
    )
    found: dict[uuid.UUID, list[tuple[str, str, int]]] = {}
    for row in rows:
        found.setdefault(row["shift_id"], []).append((str(row["id"]), row["state"], row["version"]))
    return found


async def last_seqs(connection: asyncpg.Connection) -> dict[uuid.UUID, int]:
    rows = await connection.fetch("SELECT id, last_seq FROM shifts WHERE closed_at IS NULL")
    return {row["id"]: row["last_seq"] for row in rows}


def create_owner(db: BenchDatabase) -> uuid.UUID:
    printed = fusionx_cli(
        db.url, "create-staff", "--email", OWNER_EMAIL, "--password", "-", "--name", "Bench Owner",
        "--role", "owner", stdin=OWNER_PASSWORD + "\n",
    )  # fmt: skip
    return uuid.UUID(printed.splitlines()[-1])
