"""One benchmark run: for each worker count, a fresh database, FusionX, the floor and the
ceiling side by side under granian, and the scenarios in an order that keeps them apart
(reads before the writes that would change what they read). Each scenario runs on the
ceiling, then the floor, then FusionX."""

from __future__ import annotations

import math
import platform
import subprocess
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import asyncpg
import psutil

from bench.analytics import TRUCKS as ANALYTICS_TRUCKS
from bench.analytics import measure_analytics
from bench.api import OWNER_EMAIL, OWNER_PASSWORD, Api, feed_path, orders_path, transition_path
from bench.config import BenchConfig
from bench.database import BenchDatabase, fresh_database, restock, serve_queues, stock_check
from bench.exports import measure_export, seed_orders
from bench.load import Outcome, require_wrk, run_wrk
from bench.meter import Finder, postgres_finder, rss_mb
from bench.seed import SCARCE, Fleet, Shift, add_ticket_pool, seed_base, seed_history
from bench.servers import Server, fusionx_cli, start_ceiling, start_floor, start_fusionx
from bench.stream import measure_stream
from fusionx.core.model.capacity import QUEUED_STATES

# What FusionX's orders count as the kitchen's queue ahead of them.
_QUEUED = sorted(state.value for state in QUEUED_STATES)

# Guesses at the fastest each app may go, to size the pools of NEW tickets the
# transition runs consume (three moves a ticket); a run that outpaces its pool says so.
FUSIONX_MAX_MOVES = 2500
FLOOR_MAX_MOVES = 5000
CEILING_MAX_MOVES = 6000
COUNTED_TABLES = (
    "trucks", "shifts", "menu_items", "orders", "order_lines", "tickets", "ticket_transitions",
    "stock_movements", "shift_events",
)  # fmt: skip


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


async def run(config: BenchConfig) -> dict[str, Any]:
    wrk = None if config.only == "analytics" else require_wrk()
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": config.command,
        "machine": await _machine(config, wrk),
        "settings": {
            "duration_s": config.duration, "connections": config.connections,
            "threads": config.threads, "ws_clients": config.ws_clients,
            "ws_rate": config.ws_rate, "ws_duration_s": config.ws_duration,
            "trucks": config.trucks, "open_tickets_per_shift": config.open_tickets,
            "closed_tickets": config.closed_tickets, "menu_items": config.menu_items,
            "export_orders": config.export_orders,
            "analytics_orders": config.analytics_orders,
        },
        "rounds": [],
    }  # fmt: skip
    for workers in () if config.only == "analytics" else config.workers:
        log(f"round with {workers} worker(s)")
        async with fresh_database(config.server_url, keep=config.keep_database) as db:
            results["rounds"].append(await _Round(config, db, workers).run())
    results["analytics"] = await _analytics(config)
    return results


async def _analytics(config: BenchConfig) -> dict[str, Any]:
    """A year of a 50-truck fleet, rolled up, and the analytics queries timed."""
    async with fresh_database(config.server_url, keep=config.keep_database) as db:
        log(f"analytics: migrating {db.name}, seeding {config.analytics_orders} orders")
        fusionx_cli(db.url, "db", "upgrade")
        connection = await asyncpg.connect(db.dsn)
        try:
            fleet = await seed_base(connection, ANALYTICS_TRUCKS, config.menu_items)
            fleet.owner_id = _create_owner(db)
        finally:
            await connection.close()
        return await measure_analytics(db.url, db.dsn, fleet, config.analytics_orders)


async def _machine(config: BenchConfig, wrk: str | None) -> dict[str, Any]:
    cpuinfo = _read("/proc/cpuinfo").splitlines()
    models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    version = (
        subprocess.run(  # noqa: S603 - wrk prints its version and usage
            [wrk, "--version"], capture_output=True, text=True, check=False
        ).stdout.splitlines()
        if wrk
        else ["(not used)"]
    )
    async with fresh_database(config.server_url) as db:
        connection = await asyncpg.connect(db.dsn)
        try:
            postgres = await connection.fetchval("SHOW server_version")
        finally:
            await connection.close()
    return {
        "cpu": models[0] if models else platform.processor(),
        "cores": psutil.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": postgres,
        "granian": metadata.version("granian"),
        "litestar": metadata.version("litestar"),
        "wrk": " ".join(version[0].split()[:2]) if version else "wrk",
    }


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


class _Round:
    """One worker count, from an empty database to the servers' memory after the run."""

    def __init__(self, config: BenchConfig, db: BenchDatabase, workers: int) -> None:
        self.config = config
        self.db = db
        self.workers = workers
        self.scenarios: dict[str, Any] = {}

    async def run(self) -> dict[str, Any]:
        log(f"migrating {self.db.name}")
        fusionx_cli(self.db.url, "db", "upgrade")
        connection = await asyncpg.connect(self.db.dsn)
        try:
            fleet = await seed_base(connection, self.config.trucks, self.config.menu_items)
            fleet.owner_id = _create_owner(self.db)
            logs = self.config.results.parent / "logs"
            fusionx = start_fusionx(self.db.url, self.workers, logs)
            try:
                ceiling = start_ceiling(self.db.dsn, self.workers, logs)
                try:
                    floor = start_floor(self.db.dsn, self.workers, logs)
                    try:
                        servers = _Servers(fusionx=fusionx, floor=floor, ceiling=ceiling)
                        return await self._measure(connection, fleet, servers)
                    finally:
                        floor.stop()
                finally:
                    ceiling.stop()
            finally:
                fusionx.stop()
        finally:
            await connection.close()

    async def _measure(
        self, connection: asyncpg.Connection, fleet: Fleet, servers: _Servers
    ) -> dict[str, Any]:
        config = self.config
        fusionx, floor, ceiling = servers.fusionx, servers.floor, servers.ceiling
        api = Api(fusionx.base_url)
        try:
            await self._open_shifts(api, connection, fleet)
            etags = [api.feed(s.id, s.credential) for s in fleet.shifts]
            result: dict[str, Any] = {
                "workers": len(fusionx.workers()),
                "fleet": await _fleet_size(connection),
                "feed_tickets": etags[0][1],
                "scenarios": self.scenarios,
            }
            postgres = postgres_finder(self.db.name)
            on_fusionx = {"server": fusionx.processes, "postgres": postgres}
            on_ceiling = {"server": ceiling.processes, "postgres": postgres}
            on_floor = {"server": floor.processes, "postgres": postgres}

            bare = [{"path": feed_path(s.id), "auth": ""} for s in fleet.shifts]
            feeds = [{"path": feed_path(s.id), "auth": _bearer(s)} for s in fleet.shifts]
            current = [f | {"etag": etag} for f, (etag, _) in zip(feeds, etags, strict=True)]
            if config.warmup > 0:
                log(f"warming up the three servers, {config.warmup:g}s each")
                run_wrk(config, ceiling, "feed", bare, duration=config.warmup, parties=on_ceiling)
                run_wrk(config, floor, "feed", feeds, duration=config.warmup, parties=on_floor)
                run_wrk(config, fusionx, "feed", feeds, duration=config.warmup, parties=on_fusionx)
            self._wrk("ceiling feed", ceiling, "feed", bare, on_ceiling)
            self._wrk("floor feed", floor, "feed", feeds, on_floor)
            self._wrk("feed", fusionx, "feed", feeds, on_fusionx)
            self._wrk("floor feed 304", floor, "feed", current, on_floor)
            self._wrk("feed 304", fusionx, "feed", current, on_fusionx)

            parties = {"fusionx": on_fusionx, "floor": on_floor, "ceiling": on_ceiling}
            await self._transitions(connection, fleet, servers, parties)
            await self._orders(connection, fleet, servers, parties)

            log(f"stream: {config.ws_clients} clients, {config.ws_rate:g} events/s, "
                f"{config.ws_duration:g}s, on the floor then on FusionX")  # fmt: skip
            # The events of both runs come from orders placed through FusionX: the same
            # statements and NOTIFYs; only who fans them out differs. Its workers' CPU is
            # counted apart ("orders") in the floor's run.
            on_floor_stream = on_floor | {"orders": fusionx.processes}
            # Before the streams too: what 500 sockets add, apart from what the HTTP runs left.
            before = {"fusionx": rss_mb(fusionx.workers()), "floor": rss_mb(floor.workers())}
            self.scenarios["floor stream"] = await measure_stream(
                config, api, fleet, fusionx, on_floor_stream, dsn=self.db.dsn, stream_from=floor
            )
            floor_rss = rss_mb(floor.workers())
            self.scenarios["stream"] = await measure_stream(
                config, api, fleet, fusionx, on_fusionx, dsn=self.db.dsn
            )
            result["rss_mb"] = {
                "fusionx_workers": rss_mb(fusionx.workers()),
                "fusionx_supervisor": rss_mb(fusionx.processes()[:1]),
                "floor_workers": floor_rss,
                "before_streams": before,
                "ceiling_workers": rss_mb(ceiling.workers()),
            }
            # Last: its orders would change what the scenarios above read.
            log(f"export: {config.export_orders} orders seeded, then exported as CSV")
            await seed_orders(connection, fleet, config.export_orders)
            self.scenarios["export"] = measure_export(
                fusionx.base_url, fusionx.workers(), config.export_orders
            )
            return result
        finally:
            api.close()

    async def _transitions(
        self,
        connection: asyncpg.Connection,
        fleet: Fleet,
        servers: _Servers,
        parties: dict[str, dict[str, Finder]],
    ) -> None:
        log("adding NEW tickets for the transition runs")
        ceiling_pool = await self._pool(connection, fleet, CEILING_MAX_MOVES)
        floor_bare_pool = await self._pool(connection, fleet, FLOOR_MAX_MOVES, bare=True)
        floor_pool = await self._pool(connection, fleet, FLOOR_MAX_MOVES)
        fusionx_pool = await self._pool(connection, fleet, FUSIONX_MAX_MOVES)
        self._moves("ceiling update", servers.ceiling, ceiling_pool, parties["ceiling"])
        # Litestar's own cost apart from the auth statement's: no bearer, no lookup.
        floor = servers.floor
        self._moves("floor transition, no auth", floor, floor_bare_pool, parties["floor"])
        self._moves("floor transition", floor, floor_pool, parties["floor"])
        self._moves("transition", servers.fusionx, fusionx_pool, parties["fusionx"])

    async def _orders(
        self,
        connection: asyncpg.Connection,
        fleet: Fleet,
        servers: _Servers,
        parties: dict[str, dict[str, Finder]],
    ) -> None:
        """The same order mix on each server, each racing for the same last units of the
        day's special (restocked in between) and each starting from the kitchen queues
        the day was seeded with, each checked for overselling."""
        scarce = [i.id for i in fleet.items if i.scarce] or [fleet.items[0].id]
        orders = {
            "shifts": [{"path": orders_path(s.id), "auth": _bearer(s)} for s in fleet.shifts],
            "items": [str(i.id) for i in fleet.items if not i.scarce],
            "scarce": [str(i) for i in scarce],
        }
        bare_orders = orders | {"shifts": [s | {"auth": ""} for s in orders["shifts"]]}
        runs = (
            ("ceiling order", servers.ceiling, bare_orders, parties["ceiling"]),
            ("floor order", servers.floor, orders, parties["floor"]),
            ("order", servers.fusionx, orders, parties["fusionx"]),
        )
        assert fleet.owner_id is not None  # noqa: S101 - made by run()
        for n, (name, server, data, on) in enumerate(runs):
            if n:
                await restock(connection, scarce, SCARCE, fleet.owner_id)
            await serve_queues(connection, self.config.open_tickets, _QUEUED)
            self._wrk(name, server, "orders", data, on)
            self.scenarios[name]["stock"] = await stock_check(connection)

    async def _open_shifts(self, api: Api, connection: asyncpg.Connection, fleet: Fleet) -> None:
        """Sign in, give every truck its TruckKDS tablet and an open shift, then its day."""
        api.log_in()
        for n, truck in enumerate(fleet.trucks):
            credential = api.register_device(truck)
            shift = api.check_in(truck, fleet.locations[n % len(fleet.locations)])
            fleet.shifts.append(Shift(id=shift, truck_id=truck, credential=credential))
        log("seeding the fleet's day")
        await seed_history(
            connection, fleet, open_tickets=self.config.open_tickets,
            closed_tickets=self.config.closed_tickets,
        )  # fmt: skip

    def _wrk(
        self, name: str, server: Server, script: str, data: object, parties: dict[str, Finder]
    ) -> Outcome:
        config = self.config
        log(f"{name}: {config.duration:g}s, {config.connections} connections")
        profile_to = None
        if config.profile and not server.name.startswith("ceiling"):
            profiles = config.results.parent / "profiles"
            profile_to = profiles / f"{name.replace(' ', '-')}-w{self.workers}.txt"
        outcome = run_wrk(
            config, server, script, data, duration=config.duration, parties=parties,
            profile_to=profile_to,
        )  # fmt: skip
        self.scenarios[name] = outcome.as_dict()
        return outcome

    def _moves(
        self, name: str, server: Server, pool: list[dict[str, str]], parties: dict[str, Finder]
    ) -> None:
        outcome = self._wrk(name, server, "transitions", pool, parties)
        self.scenarios[name]["pool_tickets"] = len(pool)
        self.scenarios[name]["pool_exhausted"] = outcome.requests > 3 * len(pool)

    async def _pool(
        self, connection: asyncpg.Connection, fleet: Fleet, max_moves: int, *, bare: bool = False
    ) -> list[dict[str, str]]:
        """NEW tickets for a transition run; ``bare``: sent without the credential."""
        tickets = math.ceil(max_moves * self.config.duration / 3)
        per_shift = max(self.config.connections, math.ceil(tickets / len(fleet.shifts)))
        pool = await add_ticket_pool(connection, fleet, per_shift)
        return [{"path": transition_path(t), "auth": "" if bare else _bearer(s)} for t, s in pool]


@dataclass(frozen=True, kw_only=True)
class _Servers:
    fusionx: Server
    floor: Server
    ceiling: Server


def _bearer(shift: Shift) -> str:
    return f"Bearer {shift.credential}"


def _create_owner(db: BenchDatabase) -> uuid.UUID:
    """The fleet's owner, made by the CLI as an operator would (its password is hashed)."""
    printed = fusionx_cli(
        db.url, "create-staff", "--email", OWNER_EMAIL, "--password", "-", "--name", "Bench Owner",
        "--role", "owner", stdin=OWNER_PASSWORD + "\n",
    )  # fmt: skip
    return uuid.UUID(printed.splitlines()[-1])


async def _fleet_size(connection: asyncpg.Connection) -> dict[str, int]:
    counts = {}
    for table in COUNTED_TABLES:
        counts[table] = await connection.fetchval(f"SELECT count(*) FROM {table}")  # noqa: S608
    counts["open_tickets"] = await connection.fetchval(
        "SELECT count(*) FROM tickets WHERE state IN ('new', 'in_prep', 'ready')"
    )
    return counts
