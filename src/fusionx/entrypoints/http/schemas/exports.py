"""Exports on the wire: a file, CSV (``text/csv``) or JSON Lines (``application/jsonl``),
streamed as it is read. Not a JSON body: what the document says of the answer is here."""

from __future__ import annotations

from typing import Any

from fusionx.core.model.exports import ExportKind
from fusionx.entrypoints.export_files import MEDIA_TYPES, ExportFormat, header

DESCRIPTION = (
    "The file, streamed as it is read, oldest row first: CSV with a header row, or JSON "
    "Lines (one object a line, the same names). Money in cents and decimal "
    "(`*_cents`, `*_decimal`), times in UTC and on the location's clock (`*_local`); "
    "CSV text cells that would start a formula begin with `'`. Columns per kind: "
    "docs/exports.md."
)


def file_content() -> dict[str, Any]:
    """The 200 answer's ``content`` in the OpenAPI document: both formats, with every
    kind's columns."""
    columns = {kind.value: header(kind) for kind in ExportKind}
    return {
        MEDIA_TYPES[ExportFormat.CSV]: {
            "schema": {"type": "string", "description": "CSV, RFC 4180, UTF-8"},
            "x-columns": columns,
        },
        MEDIA_TYPES[ExportFormat.JSONL]: {
            "schema": {"type": "object", "description": "One JSON object a line"},
            "x-columns": columns,
        },
    }
