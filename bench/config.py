"""What a benchmark run does: durations, client counts, worker counts, where results go.

Every option is a command-line flag (``nox -s bench -- --duration 3``) whose default
can also come from an environment variable (``BENCH_DURATION=3``), so CI and a person
at a terminal spell a smoke run the same way.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
LUA_DIR = BENCH_DIR / "lua"
RESULTS_DIR = BENCH_DIR / "results"
SERVER_URL_VARIABLE = "FUSIONX_TEST_DATABASE_URL"
LOCAL_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


# A few seconds a scenario and few clients: checks that the harness works, measures little.
SMOKE_DEFAULTS = {
    "workers": "1", "duration": 2.0, "warmup": 0.5, "connections": 8, "ws_clients": 20,
    "ws_duration": 3.0, "closed_tickets": 400, "export_orders": 2000,
    "analytics_orders": 20000,
}  # fmt: skip
SMOKE = ", ".join(f"--{k.replace('_', '-')} {v}" for k, v in SMOKE_DEFAULTS.items())


@dataclass(frozen=True, kw_only=True)
class BenchConfig:
    server_url: str
    workers: tuple[int, ...]
    duration: float
    warmup: float
    connections: int
    threads: int
    ws_clients: int
    ws_rate: float
    ws_duration: float
    ws_processes: int
    trucks: int
    open_tickets: int
    closed_tickets: int
    menu_items: int
    export_orders: int
    analytics_orders: int
    only: str | None
    results: Path
    markdown: Path
    keep_database: bool
    profile: bool
    command: str


def _env(name: str, default: str) -> str:
    return os.environ.get(f"BENCH_{name}", default)


def parse_config(argv: list[str] | None, command: str) -> BenchConfig:
    parser = argparse.ArgumentParser(
        prog="nox -s bench --",
        description="Measure FusionX's hot paths against a raw-asyncpg ceiling, in one run.",
    )
    add = parser.add_argument
    add("--workers", default=_env("WORKERS", "1,2"), help="granian worker counts, e.g. 1,2")
    add("--duration", type=float, default=float(_env("DURATION", "10")), help="s per scenario")
    add("--warmup", type=float, default=float(_env("WARMUP", "2")), help="s of unrecorded load")
    add("--connections", type=int, default=int(_env("CONNECTIONS", "64")), help="wrk -c")
    add("--threads", type=int, default=int(_env("THREADS", "2")), help="wrk -t")
    add("--ws-clients", type=int, default=int(_env("WS_CLIENTS", "500")))
    add("--ws-rate", type=float, default=float(_env("WS_RATE", "20")), help="events/s published")
    add("--ws-duration", type=float, default=float(_env("WS_DURATION", "20")), help="s")
    add("--ws-processes", type=int, default=int(_env("WS_PROCESSES", "2")), help="client procs")
    add("--trucks", type=int, default=int(_env("TRUCKS", "20")), help="trucks with open shifts")
    add("--open-tickets", type=int, default=int(_env("OPEN_TICKETS", "50")), help="per shift")
    add("--closed-tickets", type=int, default=int(_env("CLOSED_TICKETS", "4000")), help="total")
    add("--menu-items", type=int, default=int(_env("MENU_ITEMS", "40")))
    add("--export-orders", type=int, default=int(_env("EXPORT_ORDERS", "200000")),
        help="orders the export scenario seeds, then exports as CSV")  # fmt: skip
    add("--analytics-orders", type=int, default=int(_env("ANALYTICS_ORDERS", "2000000")),
        help="orders over a year of 50 trucks the analytics step seeds")  # fmt: skip
    add("--only", choices=("analytics",), default=_env("ONLY", "") or None,
        help="run this step alone (analytics: no servers, no wrk)")  # fmt: skip
    add("--results", type=Path, default=Path(_env("RESULTS", str(RESULTS_DIR / "latest.json"))))
    add("--markdown", type=Path, default=Path(_env("MARKDOWN", str(RESULTS_DIR / "latest.md"))))
    add("--keep-database", action="store_true", help="leave the bench databases for a look")
    add("--profile", action="store_true", help="py-spy the FusionX workers in each scenario")
    add("--smoke", action="store_true", help="a quick check that every scenario runs: " + SMOKE)
    args = parser.parse_args(argv)
    if args.smoke:
        parser.set_defaults(**SMOKE_DEFAULTS)
        args = parser.parse_args(argv)  # flags given with --smoke still win
    workers = tuple(int(w) for w in str(args.workers).split(",") if w.strip())
    if not workers or min(workers) < 1:
        parser.error("--workers: give one or more positive counts, e.g. 1,2")
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads")
    return BenchConfig(
        server_url=os.environ.get(SERVER_URL_VARIABLE, LOCAL_POSTGRES),
        workers=workers,
        duration=args.duration,
        warmup=args.warmup,
        connections=args.connections,
        threads=args.threads,
        ws_clients=args.ws_clients,
        ws_rate=args.ws_rate,
        ws_duration=args.ws_duration,
        ws_processes=max(1, min(args.ws_processes, args.ws_clients)),
        trucks=args.trucks,
        open_tickets=args.open_tickets,
        closed_tickets=args.closed_tickets,
        menu_items=args.menu_items,
        export_orders=args.export_orders,
        analytics_orders=args.analytics_orders,
        only=args.only,
        results=args.results,
        markdown=args.markdown,
        keep_database=args.keep_database,
        profile=args.profile,
        command=command,
    )
