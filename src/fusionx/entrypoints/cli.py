"""The ``fusionx`` command: serve the API, migrate the database, bootstrap records.

Every command reads the same settings and wires adapters through the composition
root. A settings error or a domain error ends the command with one line on stderr
and exit status 2, never a traceback; so does a simulation that cannot start.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar
from uuid import UUID

import msgspec

from fusionx.core.errors import DomainError
from fusionx.core.model.staff import Role
from fusionx.core.use_cases.create_location import CreateLocation, CreateLocationRequest
from fusionx.core.use_cases.create_staff import CreateStaff, CreateStaffRequest
from fusionx.core.use_cases.create_truck import CreateTruck, CreateTruckRequest
from fusionx.entrypoints.bootstrap import Adapters, sql_adapters
from fusionx.entrypoints.settings import Settings, SettingsError, load_settings
from fusionx.entrypoints.simulator.errors import SimulationError

T = TypeVar("T")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        return int(args.command(args, settings))
    except (SettingsError, DomainError, SimulationError) as error:
        print(f"fusionx: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fusionx", description="Serve the FusionX API, migrate its database, add records."
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the HTTP API under granian")
    serve.add_argument("--host", help="address to bind (default FUSIONX_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default FUSIONX_PORT or 8000)")
    serve.add_argument(
        "--workers", type=int, help="worker processes (default FUSIONX_WORKERS or 1)"
    )
    serve.add_argument("--demo", action="store_true", help="seed demo data first (idempotent)")
    serve.set_defaults(command=_serve)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply migrations up to head").set_defaults(
        command=_db_upgrade
    )

    staff = commands.add_parser("create-staff", help="create a staff account; prints its id")
    staff.add_argument("--email", required=True)
    staff.add_argument(
        "--password", required=True, help="the password, or - to read it from standard input"
    )
    staff.add_argument("--name", required=True)
    staff.add_argument("--role", required=True, choices=[r.value for r in Role])
    staff.add_argument("--phone")
    staff.add_argument(
        "--truck", action="append", type=UUID, default=[], help="assign to a truck (repeatable)"
    )
    staff.set_defaults(command=_create_staff)

    truck = commands.add_parser("create-truck", help="create a truck; prints its id")
    truck.add_argument("--name", required=True)
    truck.set_defaults(command=_create_truck)

    location = commands.add_parser("create-location", help="create a location; prints its id")
    location.add_argument("--name", required=True)
    location.add_argument("--timezone", required=True, help="IANA zone, e.g. Europe/Paris")
    location.add_argument("--address")
    location.add_argument("--latitude", type=float)
    location.add_argument("--longitude", type=float)
    location.set_defaults(command=_create_location)

    seed = commands.add_parser("seed", help="add data to the database")
    seed.add_argument(
        "--demo",
        action="store_true",
        required=True,
        help="the demo fleet and accounts (idempotent)",
    )
    seed.add_argument(
        "--json", action="store_true", help="print one JSON object with the ids, for scripts"
    )
    seed.set_defaults(command=_seed_demo)

    _add_simulate(commands)
    return parser


def _add_simulate(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from fusionx.entrypoints.demo_data import DEMO_MANAGER_EMAIL, DEMO_PASSWORD  # noqa: PLC0415

    simulate = commands.add_parser(
        "simulate",
        help="drive a shift through the HTTP API and check its event stream",
        description=(
            "Sign in, check a truck in (or reuse its open shift), restock the menu, then "
            "place orders at the window and work them in the kitchen while following the "
            "shift's WebSocket, and check that stream against the REST state. Exit status "
            "0 when the check is clean, 1 when it is not, 2 when the run could not start. "
            "There is no way to list locations over HTTP yet: give --location (see "
            "`fusionx seed --demo`) or --shift."
        ),
    )
    simulate.add_argument("--base-url", default="http://127.0.0.1:8000")
    simulate.add_argument("--email", default=DEMO_MANAGER_EMAIL)
    simulate.add_argument(
        "--password", default=DEMO_PASSWORD, help="the password, or - to read it from stdin"
    )
    simulate.add_argument("--truck", type=UUID, help="default: the first truck of the account")
    simulate.add_argument("--location", type=UUID, help="where to check in")
    simulate.add_argument("--shift", type=UUID, help="use this open shift instead of checking in")
    simulate.add_argument("--orders", type=int, default=50, help="orders to place (default 50)")
    simulate.add_argument("--rate", type=float, default=2.0, help="orders per second (default 2.0)")
    simulate.add_argument(
        "--prep-seconds", type=float, default=3.0, help="mean kitchen time per ticket (default 3)"
    )
    simulate.add_argument("--seed", type=int, help="random seed, for a repeatable run")
    simulate.add_argument(
        "--double-tap",
        type=float,
        default=0.05,
        help="chance that a ticket move is sent twice at once, as by two tablets (default 0.05)",
    )
    simulate.add_argument("--checkout", action="store_true", help="check the truck out at the end")
    simulate.set_defaults(command=_simulate)


def _migrate(settings: Settings) -> None:
    from fusionx.adapters.sql.migrations.runner import upgrade_to_head  # noqa: PLC0415

    upgrade_to_head(settings.resolved_database_url)


def _with_adapters(settings: Settings, work: Callable[[Adapters], Awaitable[T]]) -> T:
    async def run() -> T:
        adapters = sql_adapters(settings)
        try:
            return await work(adapters)
        finally:
            for hook in adapters.on_shutdown:
                await hook()

    return asyncio.run(run())


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from granian import Granian  # noqa: PLC0415
    from granian.constants import Interfaces  # noqa: PLC0415

    from fusionx.adapters.clock.system_clock import SystemClock  # noqa: PLC0415
    from fusionx.entrypoints.allocator import return_big_blocks_to_the_os  # noqa: PLC0415
    from fusionx.entrypoints.notification_providers import providers  # noqa: PLC0415
    from fusionx.entrypoints.notification_settings import (  # noqa: PLC0415
        load_notification_settings,
    )

    # Workers fork from this process: what it allocates (demo passwords' hashes) they carry.
    return_big_blocks_to_the_os()
    # A bad push or SMS setting stops start-up here, with its one line, not in every worker.
    providers(load_notification_settings(), SystemClock())
    if settings.is_embedded:
        # Embedded mode owns its database: bring it to the current schema before workers
        # start, in a process of its own, since workers fork from this one and would
        # each inherit alembic and the migration scripts.
        _migrate_in_a_child(settings)
    if args.demo or settings.demo_data:
        _seed_demo(args, settings)
    Granian(
        target="fusionx.entrypoints.http.asgi:app_from_environment",
        factory=True,
        interface=Interfaces.ASGI,
        address=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers or settings.workers,
        # A worker that dies (a crash, the OOM killer, kill -9) is replaced while the
        # others keep serving, instead of the supervisor stopping them all.
        respawn_failed_workers=True,
    ).serve()
    return 0


def _migrate_in_a_child(settings: Settings) -> None:
    # Imported here: a worker forked from serve's process would carry these too.
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415
    from multiprocessing import get_all_start_methods, get_context  # noqa: PLC0415

    # A forked child starts at once and leaves no helper process behind, as spawn's does.
    context = get_context("fork" if "fork" in get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as child:
        child.submit(_migrate, settings).result()


def _db_upgrade(_args: argparse.Namespace, settings: Settings) -> int:
    _migrate(settings)
    print("database is at the head revision")
    return 0


def _create_staff(args: argparse.Namespace, settings: Settings) -> int:
    request = CreateStaffRequest(
        email=args.email,
        password=_password_argument(args.password),
        name=args.name,
        role=Role(args.role),
        phone=args.phone,
        truck_ids=frozenset(args.truck),
    )
    staff = _with_adapters(
        settings,
        lambda a: CreateStaff(a.uow(), a.hasher, a.clock, a.ids).execute(request),
    )
    print(staff.id)
    return 0


def _password_argument(value: str) -> str:
    """``-`` reads the password from stdin, keeping it out of shell history and ``ps``."""
    return sys.stdin.readline().rstrip("\n") if value == "-" else value


def _create_truck(args: argparse.Namespace, settings: Settings) -> int:
    request = CreateTruckRequest(name=args.name)
    truck = _with_adapters(
        settings, lambda a: CreateTruck(a.uow(), a.clock, a.ids).execute(request)
    )
    print(truck.id)
    return 0


def _create_location(args: argparse.Namespace, settings: Settings) -> int:
    request = CreateLocationRequest(
        name=args.name,
        timezone=args.timezone,
        address=args.address,
        latitude=args.latitude,
        longitude=args.longitude,
    )
    location = _with_adapters(
        settings, lambda a: CreateLocation(a.uow(), a.clock, a.ids).execute(request)
    )
    print(location.id)
    return 0


def _seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    from fusionx.entrypoints.demo_data import describe_fleet, seed_demo_data  # noqa: PLC0415

    fleet = _with_adapters(settings, seed_demo_data)
    # ``serve --demo`` comes here too, without a --json flag.
    print(
        msgspec.json.encode(fleet).decode()
        if getattr(args, "json", False)
        else describe_fleet(fleet)
    )
    return 0


def _simulate(args: argparse.Namespace, _settings: Settings) -> int:
    from fusionx.entrypoints.simulator.config import SimulationConfig  # noqa: PLC0415
    from fusionx.entrypoints.simulator.run import run_simulation  # noqa: PLC0415

    config = SimulationConfig(
        base_url=args.base_url,
        email=args.email,
        password=_password_argument(args.password),
        truck_id=args.truck,
        location_id=args.location,
        shift_id=args.shift,
        orders=args.orders,
        rate=args.rate,
        prep_seconds=args.prep_seconds,
        seed=args.seed,
        checkout=args.checkout,
        double_tap=args.double_tap,
    )
    return run_simulation(config, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
