from __future__ import annotations

from typing import Protocol

from fusionx.core.model.exports import ExportKey, ExportKind, ExportQuery, ExportRow


class ExportSource(Protocol):
    """The rows of an export, oldest first, one batch at a time.

    A batch holds the rows of ``kind`` matching ``query`` strictly after ``after`` (the
    ``key()`` of the last row of the batch before) in (time, id, n) order, at most
    ``limit``: the caller never holds more than a batch, whatever the export's size.
    """

    async def batch(
        self, kind: ExportKind, query: ExportQuery, *, after: ExportKey | None, limit: int
    ) -> list[ExportRow]: ...

    async def count(self, kind: ExportKind, query: ExportQuery) -> int:
        """How many rows the export holds now (for a progress bar: rows added meanwhile
        may make the export a little longer)."""
        ...
