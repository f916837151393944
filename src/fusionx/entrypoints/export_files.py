"""Exports as files: CSV or JSON Lines, one chunk of bytes per batch of rows.

Shared by ``GET /api/v1/exports/{kind}`` and ``fusionx export``. The columns are the
row's fields (``core.model.exports``) in order, and beside each amount in cents
(``*_cents``) its decimal form (``*_decimal``), beside each time (UTC, ``Z``) the same
instant on the location's clock (``*_local``, with its offset). ``docs/exports.md``
lists them.

CSV is written for spreadsheets, which run a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula: such a text cell gets a leading ``'``
(OWASP's advice), whatever column it is in. Numbers and times the export writes itself
are never text from a user, and are left as they are.
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec

from fusionx.core.model.exports import ROW_TYPES, ExportKind, ExportRow
from fusionx.core.use_cases.queries.export_records import Export


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


MEDIA_TYPES = {ExportFormat.CSV: "text/csv", ExportFormat.JSONL: "application/jsonl"}
# What makes a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = Callable[[ExportRow], Any]


def neutralized(text: str) -> str:
    """A text cell a spreadsheet shows as text, never runs."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _decimal(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def _utc(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _field(name: str) -> Cell:
    return lambda row: getattr(row, name)


def _decimal_of(name: str) -> Cell:
    return lambda row: _decimal(getattr(row, name))


def _local_of(name: str) -> Cell:
    """Only kinds with a ``timezone`` column have local times (``columns``)."""

    def local(row: Any) -> str:
        return str(getattr(row, name).astimezone(_zone(row.timezone)).isoformat())

    return local


@cache
def columns(kind: ExportKind) -> tuple[tuple[str, Cell, bool], ...]:
    """Each column of ``kind``: its name, how a row gives it, and whether it is text
    from the database (what CSV neutralizes)."""
    row_type = ROW_TYPES[kind]
    local = "timezone" in row_type.__struct_fields__
    found: list[tuple[str, Cell, bool]] = []
    hints = msgspec.structs.fields(row_type)
    for field in hints:
        name = field.name
        found.append((name, _field(name), _is_text(field.type)))
        if name.endswith("_cents"):
            found.append((name.removesuffix("_cents") + "_decimal", _decimal_of(name), False))
        if field.type is datetime and local:
            found.append((name + "_local", _local_of(name), False))
    return tuple(found)


def _is_text(annotation: Any) -> bool:
    return annotation is str or annotation == (str | None)


def header(kind: ExportKind) -> list[str]:
    return [name for name, _, _ in columns(kind)]


def _plain(value: Any) -> Any:
    """A value as JSON has it: times in UTC, ids as text."""
    if isinstance(value, datetime):
        return _utc(value)
    if isinstance(value, UUID):
        return str(value)
    return value


def _csv_cell(value: Any, text: bool) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if text and isinstance(value, str):
        return neutralized(value)
    return _plain(value)


def csv_chunk(kind: ExportKind, rows: Sequence[ExportRow], *, with_header: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    cells = columns(kind)
    if with_header:
        writer.writerow(header(kind))
    for row in rows:
        writer.writerow([_csv_cell(cell(row), text) for _, cell, text in cells])
    return buffer.getvalue().encode()


_ENCODER = msgspec.json.Encoder()


def jsonl_chunk(kind: ExportKind, rows: Sequence[ExportRow]) -> bytes:
    cells = columns(kind)
    lines = [_ENCODER.encode({name: _plain(cell(row)) for name, cell, _ in cells}) for row in rows]
    return b"".join(line + b"\n" for line in lines)


async def export_bytes(export: Export, file_format: ExportFormat) -> AsyncIterator[bytes]:
    """The file, a chunk per batch; a CSV's header goes out before the first read."""
    if file_format is ExportFormat.CSV:
        yield csv_chunk(export.kind, (), with_header=True)
        async for rows in export.batches():
            yield csv_chunk(export.kind, rows)
    else:
        async for rows in export.batches():
            yield jsonl_chunk(export.kind, rows)


def file_name(kind: ExportKind, file_format: ExportFormat) -> str:
    return f"fusionx-{kind.value}.{file_format.value}"
