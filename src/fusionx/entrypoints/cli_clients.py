"""The ``fusionx`` commands that are clients of a running server, over HTTP and WebSocket
only, as the staff app and TruckKDS are: ``simulate`` and ``events``."""

from __future__ import annotations

import argparse
import sys
from uuid import UUID

from fusionx.entrypoints.cli_arguments import Parser, int_from, password_argument
from fusionx.entrypoints.demo_data import DEMO_MANAGER_EMAIL, DEMO_PASSWORD
from fusionx.entrypoints.settings import Settings

Commands = argparse._SubParsersAction


def add_client_commands(commands: Commands[Parser]) -> None:
    _add_simulate(commands)
    _add_events(commands)


def _sign_in_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--base-url", default="http://127.0.0.1:8000", help="where the FusionX API is served"
    )
    command.add_argument("--email", default=DEMO_MANAGER_EMAIL, help="the staff account to use")
    command.add_argument(
        "--password", default=DEMO_PASSWORD, help="its password, or - to read it from stdin"
    )


def _add_simulate(commands: Commands[Parser]) -> None:
    simulate = commands.add_parser(
        "simulate",
        help="drive a shift through the HTTP API and check its event stream",
        description=(
            "Sign in, check a truck in (or reuse its open shift), restock the menu, then "
            "place orders at the window (items available now and in stock, with the "
            "modifiers their groups require) and work them in the kitchen while following "
            "the shift's WebSocket, and check that stream against the REST state. Exit "
            "status 0 when the check is clean, 1 when it is not, 2 when the run could not "
            "start."
        ),
    )
    _sign_in_options(simulate)
    simulate.add_argument("--truck", type=UUID, help="default: the first truck of the account")
    simulate.add_argument(
        "--location",
        type=UUID,
        help="where to check in; default: the first active location (GET /api/v1/locations)",
    )
    simulate.add_argument("--shift", type=UUID, help="use this open shift instead of checking in")
    simulate.add_argument("--orders", type=int_from(1), default=50, help="orders to place")
    simulate.add_argument("--rate", type=float, default=2.0, help="orders per second")
    simulate.add_argument(
        "--prep-seconds", type=float, default=3.0, help="mean kitchen time per ticket"
    )
    simulate.add_argument("--seed", type=int, help="random seed, for a repeatable run")
    simulate.add_argument(
        "--double-tap",
        type=float,
        default=0.05,
        help="chance that a ticket move is sent twice at once, as by two tablets",
    )
    simulate.add_argument("--checkout", action="store_true", help="check the truck out at the end")
    simulate.set_defaults(command=_simulate)


def _add_events(commands: Commands[Parser]) -> None:
    events = commands.add_parser(
        "events",
        help="print a shift's event stream, one JSON object a line",
        description=(
            "Sign in and follow the shift's WebSocket event stream as a client does, "
            "printing each event once, in order. Stops at the last event the shift had "
            "when it started, unless --follow is given."
        ),
    )
    _sign_in_options(events)
    events.add_argument("--shift", type=UUID, required=True, help="the shift to watch")
    events.add_argument(
        "--after", type=int_from(0), default=0, help="print the events after this seq"
    )
    events.add_argument(
        "--follow", action="store_true", help="keep printing new events until interrupted"
    )
    events.set_defaults(command=_events)


def _simulate(args: argparse.Namespace, _settings: Settings) -> int:
    from fusionx.simulator.config import SimulationConfig  # noqa: PLC0415
    from fusionx.simulator.run import run_simulation  # noqa: PLC0415

    config = SimulationConfig(
        base_url=args.base_url,
        email=args.email,
        password=password_argument(args.password),
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


def _events(args: argparse.Namespace, _settings: Settings) -> int:
    from fusionx.simulator.watch import WatchConfig, watch_events  # noqa: PLC0415

    config = WatchConfig(
        base_url=args.base_url,
        email=args.email,
        password=password_argument(args.password),
        shift_id=str(args.shift),
        after=args.after,
        follow=args.follow,
    )
    return watch_events(config, sys.stdout)
