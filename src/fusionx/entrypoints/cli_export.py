"""``fusionx export``: the books to a file or stdout, as the HTTP exports write them,
with the rows counted on stderr as they go."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO
from uuid import UUID

from fusionx.core.model.exports import ExportKind
from fusionx.core.model.history import DayRange
from fusionx.core.use_cases.queries.export_records import ExportRequest
from fusionx.entrypoints import use_cases
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.cli_arguments import Parser
from fusionx.entrypoints.export_files import ExportFormat, csv_chunk, jsonl_chunk
from fusionx.entrypoints.settings import Settings

Commands = argparse._SubParsersAction
WithAdapters = Callable[[Settings, Callable[[Adapters], Awaitable[Any]]], Any]


def add_export_command(commands: Commands[Parser], with_adapters: WithAdapters) -> None:
    export = commands.add_parser(
        "export",
        help="write the books (orders, lines, payments, refunds, cancellations, stock, "
        "audit) as CSV or JSON Lines; rows counted on stderr",
    )
    export.add_argument("kind", choices=[kind.value for kind in ExportKind], help="what to export")
    export.add_argument(
        "--format",
        choices=[f.value for f in ExportFormat],
        default=ExportFormat.CSV.value,
        help="csv or jsonl",
    )
    export.add_argument("--truck", type=UUID, help="one truck's (default: the fleet's)")
    export.add_argument("--from", dest="first", type=date.fromisoformat, help="first day")
    export.add_argument("--to", dest="last", type=date.fromisoformat, help="last day, included")
    export.add_argument("--output", "-o", type=Path, help="the file (default: stdout)")
    export.set_defaults(command=lambda args, settings: _export(args, settings, with_adapters))


def _export(args: argparse.Namespace, settings: Settings, with_adapters: WithAdapters) -> int:
    request = ExportRequest(
        kind=args.kind, truck_id=args.truck, days=DayRange(first=args.first, last=args.last)
    )
    file_format = ExportFormat(args.format)

    async def write(adapters: Adapters) -> int:
        export = await use_cases.export_records(adapters).execute(None, request)
        with _opened(args.output) as out:
            return await write_export(export, file_format, out)

    rows = with_adapters(settings, write)
    print(f"\nexported {rows} rows", file=sys.stderr)
    return 0


def _opened(path: Path | None) -> Any:
    if path is None:
        return _Unclosed(sys.stdout.buffer)
    return path.open("wb")


class _Unclosed:
    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def __enter__(self) -> BinaryIO:
        return self.stream

    def __exit__(self, *_: object) -> None:
        self.stream.flush()


BAR_WIDTH = 30


def progress_bar(kind: str, rows: int, total: int) -> str:
    """``orders [#########.....]  60% 1,200/2,000``: rows written of those counted."""
    done = min(1.0, rows / total) if total else 1.0
    filled = round(BAR_WIDTH * done)
    bar = "#" * filled + "." * (BAR_WIDTH - filled)
    return f"{kind} [{bar}] {done:4.0%} {rows:,}/{total:,}"


async def write_export(export: Any, file_format: ExportFormat, out: BinaryIO) -> int:
    """Write ``export`` batch by batch, a progress bar on stderr redrawn after each."""
    total = await export.total()
    rows = 0
    if file_format is ExportFormat.CSV:
        out.write(csv_chunk(export.kind, (), with_header=True))
    async for batch in export.batches():
        chunk = (
            csv_chunk(export.kind, batch)
            if file_format is ExportFormat.CSV
            else jsonl_chunk(export.kind, batch)
        )
        out.write(chunk)
        rows += len(batch)
        bar = progress_bar(export.kind.value, rows, max(total, rows))
        print("\r" + bar, end="", file=sys.stderr, flush=True)
    return rows
