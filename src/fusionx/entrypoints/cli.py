"""The ``fusionx`` command: serve the API, migrate the database, bootstrap records.

Every command reads the same settings and wires adapters through the composition
root, once the database answers at the current schema (``startup_checks``). What an
operator can expect to meet (a bad setting, a database unreachable or not migrated, a
port in use, a broken rule, a server that cannot be reached) ends the command with one
line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar
from uuid import UUID

import msgspec

from fusionx.adapters.i18n.babel_translator import packaged_translator
from fusionx.core.errors import DomainError, InvalidInput, InvalidInputs
from fusionx.core.model.staff import Role
from fusionx.core.use_cases.commands.create_location import CreateLocationRequest
from fusionx.core.use_cases.commands.create_staff import CreateStaffRequest
from fusionx.core.use_cases.commands.create_truck import CreateTruckRequest
from fusionx.entrypoints import use_cases
from fusionx.entrypoints.bootstrap import Adapters, sql_adapters
from fusionx.entrypoints.cli_arguments import Parser, int_from, password_argument
from fusionx.entrypoints.cli_audit import add_audit_commands
from fusionx.entrypoints.cli_clients import add_client_commands
from fusionx.entrypoints.cli_export import add_export_command
from fusionx.entrypoints.http.problems import say
from fusionx.entrypoints.settings import Settings, SettingsError, load_settings
from fusionx.entrypoints.startup_checks import (
    StartupError,
    check_payment_gateway,
    claim_address,
    ready_database,
    setting_warnings,
)
from fusionx.ports.errors import StorageUnavailable
from fusionx.simulator.errors import SimulationError

T = TypeVar("T")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        for warning in setting_warnings(os.environ):
            print(f"fusionx: {warning}", file=sys.stderr)
        settings = load_settings()
        return int(args.command(args, settings))
    except DomainError as error:
        print(f"fusionx: {describe(error)}", file=sys.stderr)
        return 2
    except (SettingsError, StartupError, StorageUnavailable, SimulationError) as error:
        print(f"fusionx: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def describe(error: DomainError) -> str:
    """A domain error as one line for the operator, in the default language (English)."""
    translator = packaged_translator()
    english = translator.locales[0]
    if isinstance(error, InvalidInputs):
        return "; ".join(describe(each) for each in error.errors)
    text = say(translator, error.detail, english)
    return f"{error.field}: {text}" if isinstance(error, InvalidInput) else text


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="fusionx", description="Serve the FusionX API, migrate its database, add records."
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the HTTP API under granian")
    serve.add_argument("--host", help="address to bind (default FUSIONX_HOST or 127.0.0.1)")
    serve.add_argument(
        "--port", type=int_from(1, 65535), help="port, of its own (default FUSIONX_PORT or 8000)"
    )
    serve.add_argument(
        "--workers", type=int_from(1, 64), help="worker processes (default FUSIONX_WORKERS or 1)"
    )
    serve.add_argument("--demo", action="store_true", help="seed demo data first (idempotent)")
    serve.set_defaults(command=_serve)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(required=True, metavar="ACTION")
    db_commands.add_parser(
        "upgrade", help="apply migrations up to head (and make the job queue's schema)"
    ).set_defaults(command=_db_upgrade)

    worker = commands.add_parser(
        "worker",
        help="run the scheduled work on the job queue (PostgreSQL)",
        description=(
            "Run the sweeps, purges and weekly summaries from procrastinate's queue in "
            "PostgreSQL until SIGTERM. Run one or more per deployment: each tick runs "
            "once whatever their number (docs/operations.md). The embedded database "
            "needs none: `fusionx serve` runs that work itself."
        ),
    )
    worker.set_defaults(command=_worker)

    staff = commands.add_parser("create-staff", help="create a staff account; prints its id")
    staff.add_argument("--email", required=True, help="the sign-in email, unique")
    staff.add_argument(
        "--password", required=True, help="the password, or - to read it from standard input"
    )
    staff.add_argument("--name", required=True, help="the name colleagues know them by")
    staff.add_argument("--role", required=True, choices=[r.value for r in Role], help="the role")
    staff.add_argument("--phone", help="mobile number in E.164, e.g. +447700900123, for SMS")
    staff.add_argument(
        "--truck", action="append", type=UUID, default=[], help="assign to a truck (repeatable)"
    )
    staff.set_defaults(command=_create_staff)

    truck = commands.add_parser("create-truck", help="create a truck; prints its id")
    truck.add_argument("--name", required=True, help="the truck's name")
    truck.set_defaults(command=_create_truck)

    location = commands.add_parser("create-location", help="create a location; prints its id")
    location.add_argument("--name", required=True, help="the location's name")
    location.add_argument("--timezone", required=True, help="IANA zone, e.g. Europe/Paris")
    location.add_argument("--address", help="street address, shown to staff")
    location.add_argument("--latitude", type=float, help="for nearest-first lists")
    location.add_argument("--longitude", type=float, help="for nearest-first lists")
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
    seed.add_argument(
        "--alongside-other-data",
        action="store_true",
        help="seed even where the database holds data the demo did not make (never in "
        "production: the demo accounts' password is public); other data is never touched",
    )
    seed.set_defaults(command=_seed_demo)

    schema = commands.add_parser(
        "schema",
        help="write the API contract: the OpenAPI, AsyncAPI (event stream) and GraphQL documents",
        description=(
            "Print the OpenAPI document (or, with --asyncapi, the event stream's AsyncAPI "
            "document), or write them and the GraphQL schema (schema.graphql) to a directory "
            "with --out. The committed copies in "
            "docs/api are checked against this: run `fusionx schema --out docs/api` after "
            "changing the contract."
        ),
    )
    schema.add_argument(
        "--out", type=Path, help="write openapi.json, asyncapi.json and schema.graphql here"
    )
    schema.add_argument(
        "--asyncapi", action="store_true", help="print the AsyncAPI document instead"
    )
    schema.set_defaults(command=_schema)

    access = commands.add_parser(
        "access-table",
        help="write who may do what: every route's answer to every kind of caller",
        description=(
            "Print the access table as Markdown, or write it to a file with --out. The "
            "committed docs/access.md is checked against this: run `fusionx access-table "
            "--out docs/access.md` after changing the table."
        ),
    )
    access.add_argument("--out", type=Path, help="write the Markdown here")
    access.set_defaults(command=_access_table)

    add_client_commands(commands)
    add_audit_commands(commands, _with_adapters)
    add_export_command(commands, _with_adapters)
    return parser


def _migrate(settings: Settings) -> None:
    from fusionx.adapters.sql.migrations.runner import upgrade_to_head  # noqa: PLC0415

    upgrade_to_head(settings.resolved_database_url)


def _with_adapters(settings: Settings, work: Callable[[Adapters], Awaitable[T]]) -> T:
    ready_database(settings, _migrate)

    async def run() -> T:
        adapters = sql_adapters(settings)
        try:
            return await work(adapters)
        finally:
            for hook in adapters.on_shutdown:
                await hook()

    return asyncio.run(run())


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from fusionx.entrypoints.allocator import (  # noqa: PLC0415
        granian_returns_freed_pages,
        return_big_blocks_to_the_os,
    )

    # Before granian is loaded: its allocator reads the setting when it starts.
    granian_returns_freed_pages()
    from granian.constants import Interfaces  # noqa: PLC0415

    from fusionx.adapters.clock.system_clock import SystemClock  # noqa: PLC0415
    from fusionx.entrypoints.email_settings import load_email_settings  # noqa: PLC0415
    from fusionx.entrypoints.job_settings import load_job_settings  # noqa: PLC0415
    from fusionx.entrypoints.logging import granian_log_config  # noqa: PLC0415
    from fusionx.entrypoints.notification_providers import providers  # noqa: PLC0415
    from fusionx.entrypoints.notification_settings import (  # noqa: PLC0415
        load_notification_settings,
    )
    from fusionx.entrypoints.payment_settings import load_payment_settings  # noqa: PLC0415
    from fusionx.entrypoints.rate_limit_settings import load_rate_limit_settings  # noqa: PLC0415
    from fusionx.entrypoints.serving import prepare_serving  # noqa: PLC0415
    from fusionx.entrypoints.shutdown import serve_draining  # noqa: PLC0415

    port = args.port or settings.port
    address = claim_address(args.host or settings.host, port)
    # Workers fork from this process: what it allocates (demo passwords' hashes) they carry.
    return_big_blocks_to_the_os()
    # A bad push or SMS setting stops start-up here, with its one line, not in every worker.
    providers(load_notification_settings(), SystemClock())
    load_email_settings()
    check_payment_gateway(settings, load_payment_settings())
    load_rate_limit_settings()  # likewise a bad rate limit or its store's URL
    load_job_settings()  # and a bad setting of the scheduled work
    # Embedded mode migrates its database in a process of its own, since workers fork
    # from this one and would each inherit alembic and the migration scripts.
    ready_database(settings, _migrate_in_a_child)
    if args.demo or settings.demo_data:
        _seed_demo(args, settings)
    prepare_serving(settings)
    # SIGTERM: readiness fails and streams close first, then requests in hand finish.
    serve_draining(
        settings.shutdown_drain_seconds,
        target="fusionx.entrypoints.http.asgi:app_from_environment",
        factory=True,
        interface=Interfaces.ASGI,
        address=address,
        port=port,
        workers=args.workers or settings.workers,
        # A worker that dies (a crash, the OOM killer, kill -9) is replaced while the
        # others keep serving, instead of the supervisor stopping them all.
        respawn_failed_workers=True,
        workers_kill_timeout=settings.shutdown_grace_seconds,
        # granian's own lines (start-up, workers) rendered like ours: JSON in production.
        log_dictconfig=granian_log_config(settings),
    )
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
    ready_database(settings, _migrate, upgrade=True)
    print("database is at the head revision")
    if not settings.is_embedded:
        from fusionx.adapters.jobs.schema import apply_queue_schema  # noqa: PLC0415

        # Also when Alembic had nothing to do: the queue's schema is the library's.
        if asyncio.run(apply_queue_schema(settings.resolved_database_url)):
            print("the job queue's schema is made")
    return 0


def _worker(_args: argparse.Namespace, settings: Settings) -> int:
    from fusionx.entrypoints.worker import run_worker  # noqa: PLC0415

    return run_worker(settings, _migrate)


def _create_staff(args: argparse.Namespace, settings: Settings) -> int:
    request = CreateStaffRequest(
        email=args.email,
        password=password_argument(args.password),
        name=args.name,
        role=Role(args.role),
        phone=args.phone,
        truck_ids=frozenset(args.truck),
    )
    staff = _with_adapters(
        settings,
        lambda a: use_cases.create_staff(a).execute(request),
    )
    print(staff.id)
    return 0


def _create_truck(args: argparse.Namespace, settings: Settings) -> int:
    request = CreateTruckRequest(name=args.name)
    truck = _with_adapters(settings, lambda a: use_cases.create_truck(a).execute(None, request))
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
        settings, lambda a: use_cases.create_location(a).execute(None, request)
    )
    print(location.id)
    return 0


def _seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    from fusionx.entrypoints.demo_data import describe_fleet  # noqa: PLC0415
    from fusionx.entrypoints.demo_seeder import seed_demo_data  # noqa: PLC0415

    alongside = getattr(args, "alongside_other_data", False)
    fleet = _with_adapters(
        settings, lambda adapters: seed_demo_data(adapters, alongside_other_data=alongside)
    )
    # ``serve --demo`` comes here too, without a --json flag.
    print(
        msgspec.json.encode(fleet).decode()
        if getattr(args, "json", False)
        else describe_fleet(fleet)
    )
    return 0


def _schema(args: argparse.Namespace, _settings: Settings) -> int:
    from fusionx.entrypoints.http import documents  # noqa: PLC0415

    if args.out is not None:
        for path in documents.write_documents(args.out):
            print(path)
        return 0
    name = documents.ASYNCAPI if args.asyncapi else documents.OPENAPI
    sys.stdout.write(documents.encode_document(documents.contract_documents()[name]))
    return 0


def _access_table(args: argparse.Namespace, _settings: Settings) -> int:
    from fusionx.entrypoints.http.access_table import render_markdown  # noqa: PLC0415

    if args.out is None:
        sys.stdout.write(render_markdown())
    else:
        args.out.write_text(render_markdown())
        print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
