"""A fleet-sized day on one box (issue #20): not one hot path, the whole fleet at once.

Every truck has an open shift and its kitchen devices (two by default), each following
the shift's event stream over a WebSocket, polling the kitchen feed with its ETag and
sending a heartbeat every 30 s, while orders arrive over the whole fleet at a steady rate
and each ticket is moved along by the truck's first device after realistic prep times.
The load runs in client processes (``bench.fleetday_clients``), asyncio with many
connections each; the server is ``fusionx serve`` under granian on a fresh PostgreSQL
database, as in the main bench.

``nox -s bench -- --fleet-day [options]`` or ``python -m bench.fleetday [options]``;
defaults are the issue's (1,000 trucks, 2 devices each, 100 orders/s, 300 s, 2 workers).
Results: ``bench/results/fleetday.json`` and ``.md``. Exits 1 on any error, lost,
duplicated or out-of-order event, or unit oversold.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import subprocess
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import psutil

from bench import fleetday_stats
from bench.config import LOCAL_POSTGRES, RESULTS_DIR, SERVER_URL_VARIABLE
from bench.database import BenchDatabase, fresh_database, stock_check
from bench.fleetday_clients import Plan, TruckPlan
from bench.fleetday_setup import create_owner, last_seqs, open_shifts, open_tickets
from bench.meter import CpuMeter, postgres_finder, rss_mb
from bench.seed import Fleet, seed_base, seed_history
from bench.servers import BenchError, Server, fusionx_cli, start_fusionx

# Seconds a ticket waits at each step, drawn uniformly, before --prep-scale:
# NEW until the cook starts, IN_PREP until it is ready (2-8 min), READY until picked up.
PREP_SECONDS = ((20.0, 60.0), (120.0, 480.0), (30.0, 90.0))


@dataclass(frozen=True, kw_only=True)
class FleetDayConfig:
    server_url: str
    trucks: int
    devices: int
    rate: float
    duration: float
    workers: int
    processes: int
    poll_interval: float
    heartbeat_interval: float
    prep_scale: float
    open_tickets: int
    closed_tickets: int
    menu_items: int
    results: Path
    keep_database: bool
    command: str


def parse_config(argv: list[str], command: str) -> FleetDayConfig:
    def env(name: str, default: str) -> str:
        return os.environ.get(f"BENCH_FLEET_{name}", default)

    parser = argparse.ArgumentParser(prog="nox -s bench -- --fleet-day", description=__doc__)
    add = parser.add_argument
    add("--trucks", type=int, default=int(env("TRUCKS", "1000")), help="open shifts")
    add("--devices", type=int, default=int(env("DEVICES", "2")), help="kitchen devices a truck")
    add("--rate", type=float, default=float(env("RATE", "100")), help="orders/s, whole fleet")
    add("--duration", type=float, default=float(env("DURATION", "300")), help="s of the day")
    add("--workers", type=int, default=int(env("WORKERS", "2")), help="granian workers")
    add("--processes", type=int, default=int(env("PROCESSES", "4")), help="client processes")
    add("--poll-interval", type=float, default=float(env("POLL", "5")), help="s between feeds")
    add("--heartbeat-interval", type=float, default=float(env("HEARTBEAT", "30")), help="s")
    add("--prep-scale", type=float, default=float(env("PREP_SCALE", "1")),
        help="multiplies the prep times (NEW 20-60 s, IN_PREP 2-8 min, READY 30-90 s)")  # fmt: skip
    add("--open-tickets", type=int, default=int(env("OPEN_TICKETS", "40")),
        help="on each display at the start, worked from there (40: steady state)")  # fmt: skip
    add("--closed-tickets", type=int, default=int(env("CLOSED_TICKETS", "20000")), help="total")
    add("--menu-items", type=int, default=int(env("MENU_ITEMS", "40")))
    add("--results", type=Path, default=Path(env("RESULTS", str(RESULTS_DIR / "fleetday.json"))))
    add("--keep-database", action="store_true", help="leave the bench database for a look")
    args = parser.parse_args(argv)
    if min(args.trucks, args.devices, args.workers, args.processes) < 1 or args.duration <= 0:
        parser.error("trucks, devices, workers, processes and duration must be positive")
    return FleetDayConfig(
        server_url=os.environ.get(SERVER_URL_VARIABLE, LOCAL_POSTGRES),
        trucks=args.trucks, devices=args.devices, rate=args.rate, duration=args.duration,
        workers=args.workers, processes=min(args.processes, args.trucks),
        poll_interval=args.poll_interval, heartbeat_interval=args.heartbeat_interval,
        prep_scale=args.prep_scale, open_tickets=args.open_tickets,
        closed_tickets=args.closed_tickets, menu_items=args.menu_items, results=args.results,
        keep_database=args.keep_database, command=command,
    )  # fmt: skip


def log(message: str) -> None:
    print(f"[fleet-day {datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


async def run(config: FleetDayConfig) -> dict[str, Any]:
    async with fresh_database(config.server_url, keep=config.keep_database) as db:
        log(f"migrating {db.name}")
        fusionx_cli(db.url, "db", "upgrade")
        connection = await asyncpg.connect(db.dsn)
        try:
            fleet = await seed_base(connection, config.trucks, config.menu_items)
            fleet.owner_id = create_owner(db)
            fusionx = start_fusionx(db.url, config.workers, config.results.parent / "logs")
            try:
                return await _day(config, db, connection, fleet, fusionx)
            finally:
                fusionx.stop()
        finally:
            await connection.close()


async def _day(
    config: FleetDayConfig,
    db: BenchDatabase,
    connection: asyncpg.Connection,
    fleet: Fleet,
    fusionx: Server,
) -> dict[str, Any]:
    log(f"{config.trucks} trucks: {config.devices} devices each and a check-in, via the API")
    credentials = open_shifts(fusionx, fleet, config.devices)
    log("seeding the fleet's day so far")
    await seed_history(
        connection, fleet, open_tickets=config.open_tickets, closed_tickets=config.closed_tickets
    )
    seqs, open_ = await last_seqs(connection), await open_tickets(connection)
    plans = _plans(config, fusionx, fleet, credentials=credentials, seqs=seqs, open_=open_)
    clients = [_client(plan) for plan in plans]
    try:
        connected = sum(await asyncio.gather(*(_said(c, "connected") for c in clients)))
        log(f"{connected} streams open; the day runs {config.duration:g}s at {config.rate:g}/s")
        watched = [psutil.Process(c.pid) for c in clients]
        own = [psutil.Process()]
        parties = {"server": fusionx.processes, "postgres": postgres_finder(db.name)}
        committed = await _transactions(connection)
        with CpuMeter(**parties, clients=lambda: watched, driver=lambda: own) as meter:
            for client in clients:
                _tell(client, "go")
            await asyncio.gather(*(_said(client, "done") for client in clients))
        # An idle backend reports its counts to the statistics within 10 s (PostgreSQL 15).
        await asyncio.sleep(11)
        committed = await _transactions(connection) - committed
        log("the day is over; waiting for every device to hold its shift's last event")
        finals = json.dumps({str(k): v for k, v in (await last_seqs(connection)).items()})
        reports = await asyncio.gather(*(_report(c, finals) for c in clients))
    finally:
        for client in clients:
            if client.poll() is None:
                client.kill()
    day = fleetday_stats.merge(reports, config.duration)
    cpu = meter.percent()
    # CPU time per answered request, all the party's work included (streams, pings, the
    # reactions to events): steadier than throughput on a shared machine.
    answered = max(1, day["total"]["requests"])
    per_request = {k: round(v * 10 * meter.wall / answered, 2) for k, v in cpu.items()}
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": config.command,
        "settings": _settings(config),
        "workers": len(fusionx.workers()),
        "streams_connected": connected,
        "day": day,
        "cpu_percent": cpu,
        "cpu_ms_per_request": per_request,
        "postgres_transactions_per_request": round(committed / answered, 2),
        "rss_mb": {
            "fusionx_workers": rss_mb(fusionx.workers()),
            "fusionx_supervisor": rss_mb(fusionx.processes()[:1]),
        },
        "stock": await stock_check(connection),
        "server_log_errors": _log_errors(fusionx.log),
    }


def _settings(config: FleetDayConfig) -> dict[str, Any]:
    return {
        "trucks": config.trucks, "devices": config.devices, "rate": config.rate,
        "duration_s": config.duration, "client_processes": config.processes,
        "poll_interval_s": config.poll_interval,
        "heartbeat_interval_s": config.heartbeat_interval, "prep_scale": config.prep_scale,
        "open_tickets_per_shift": config.open_tickets,
    }  # fmt: skip


def _plans(
    config: FleetDayConfig,
    fusionx: Server,
    fleet: Fleet,
    *,
    credentials: dict[uuid.UUID, list[str]],
    seqs: dict[uuid.UUID, int],
    open_: dict[uuid.UUID, list[tuple[str, str, int]]],
) -> list[Plan]:
    """The trucks dealt round-robin to the client processes, each with its share of orders."""
    trucks = [
        TruckPlan(
            shift=str(s.id),
            credentials=credentials[s.id],
            last_seq=seqs[s.id],
            open=open_.get(s.id, []),
        )
        for s in fleet.shifts
    ]
    prep = tuple((low * config.prep_scale, high * config.prep_scale) for low, high in PREP_SECONDS)
    plans = []
    for n in range(config.processes):
        mine = trucks[n :: config.processes]
        plan = Plan(
            base_url=fusionx.base_url, duration=config.duration,
            rate=config.rate * len(mine) / len(trucks), poll_interval=config.poll_interval,
            heartbeat_interval=config.heartbeat_interval, prep_seconds=prep,
            items=[str(i.id) for i in fleet.items if not i.scarce],
            scarce=[str(i.id) for i in fleet.items if i.scarce], trucks=mine, seed=n,
        )  # fmt: skip
        plans.append(plan)
    return plans


def _client(plan: Plan) -> subprocess.Popen[str]:
    root = str(Path(__file__).resolve().parent.parent)
    env = os.environ | {"PYTHONPATH": root}
    command = [sys.executable, "-m", "bench.fleetday_clients"]
    client = subprocess.Popen(  # noqa: S603 - our own module
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    _tell(client, msgspec.json.encode(plan).decode())
    return client


def _tell(client: subprocess.Popen[str], line: str) -> None:
    if client.stdin is None:
        raise BenchError("a fleet-day client has no input pipe")
    client.stdin.write(line + "\n")
    client.stdin.flush()


async def _said(client: subprocess.Popen[str], word: str) -> int:
    if client.stdout is None:
        raise BenchError("a fleet-day client has no output pipe")
    line = await asyncio.to_thread(client.stdout.readline)
    if not line.startswith(word):
        raise BenchError(f"a fleet-day client said {line.strip()!r}, not {word!r}")
    return int(parts[1]) if len(parts := line.split()) > 1 else 0


async def _report(client: subprocess.Popen[str], finals: str) -> dict[str, Any]:
    out, _ = await asyncio.to_thread(client.communicate, f"final {finals}\n", 180)
    lines = out.strip().splitlines()
    if not lines:
        raise BenchError("a fleet-day client ended without a report")
    return dict(json.loads(lines[-1]))


async def _transactions(connection: asyncpg.Connection) -> int:
    """Transactions the bench database has ended so far: a count the load on the machine
    does not move, unlike a rate."""
    return int(
        await connection.fetchval(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database"
            " WHERE datname = current_database()"
        )
    )


def _log_errors(log: Path) -> int:
    """Lines the server logged at error level, or tracebacks: none is the only good count."""
    count = 0
    for line in log.read_text(errors="replace").splitlines():
        if '"level":"error"' in line.replace(" ", "") or line.startswith("Traceback"):
            count += 1
    return count


def main(argv: list[str]) -> int:
    command = shlex.join(["nox", "-s", "bench", "--", "--fleet-day", *argv])
    config = parse_config(argv, command)
    try:
        result = asyncio.run(run(config))
    except BenchError as error:
        print(f"fleet-day: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    config.results.parent.mkdir(parents=True, exist_ok=True)
    config.results.write_text(json.dumps(result, indent=2, default=str) + "\n")
    table = fleetday_stats.markdown(result)
    config.results.with_suffix(".md").write_text(table)
    print(table)
    print(f"results: {config.results}", file=sys.stderr)
    failed = fleetday_stats.failures(result)
    for failure in failed:
        print(f"fleet-day: {failure}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
