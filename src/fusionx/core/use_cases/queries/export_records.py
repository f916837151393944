from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.exports import (
    EXPORT_BATCH,
    ExportKey,
    ExportKind,
    ExportQuery,
    ExportRow,
)
from fusionx.core.model.history import DayRange
from fusionx.core.model.principals import Principal
from fusionx.core.use_cases.steps.books_scope import scope_of_books, utc_bounds
from fusionx.ports.unit_of_work import UnitOfWorkFactory


class ExportRequest(msgspec.Struct, frozen=True, kw_only=True):
    """``kind`` as the caller named it: one that is no ``ExportKind`` is not found."""

    kind: str
    truck_id: UUID | None = None
    days: DayRange = DayRange()


class Export:
    """An export the caller may read, not read yet: ``batches`` reads it."""

    def __init__(
        self, units: UnitOfWorkFactory, kind: ExportKind, query: ExportQuery, batch: int
    ) -> None:
        self.kind = kind
        self._units = units
        self._query = query
        self._batch = batch

    async def total(self) -> int:
        """How many rows the export holds as of now: for a progress bar."""
        async with self._units() as uow:
            return await uow.exports.count(self.kind, self._query)

    async def batches(self) -> AsyncIterator[list[ExportRow]]:
        """Batch after batch, oldest rows first, each read in a unit of work of its own:
        no connection is held while the reader writes a batch out, however slowly."""
        after: ExportKey | None = None
        while True:
            async with self._units() as uow:
                rows = await uow.exports.batch(
                    self.kind, self._query, after=after, limit=self._batch
                )
            if rows:
                yield rows
            if len(rows) < self._batch:
                return
            after = rows[-1].key()


class ExportRecords:
    """The books as rows for a spreadsheet or another system: orders, their lines,
    payments, refunds, cancellations, the stock ledger and the audit trail.

    Rules:
    - owners and admins export the whole fleet's, managers their trucks'; crew,
      devices and customers may not (403); a truck outside the caller's scope, or none,
      is 404. All of it is decided before the first row is read. ``fusionx export``
      (no principal: the operator, who holds the database) exports the fleet's;
    - filters: a truck, and days on each location's own clock (both ends included; the
      audit trail, which has no location, takes them in UTC);
    - read in batches of ``batch`` rows, oldest first (keyset on time and id): memory
      holds a batch whatever the export's size.
    """

    def __init__(self, units: UnitOfWorkFactory, *, batch: int = EXPORT_BATCH) -> None:
        self._units = units
        self._batch = batch

    async def execute(self, principal: Principal | None, request: ExportRequest) -> Export:
        if request.kind not in set(ExportKind):
            raise NotFound("export", request.kind)
        kind = ExportKind(request.kind)
        async with self._units() as uow:
            scope = await scope_of_books(
                uow, principal, truck_id=request.truck_id, location_id=None, days=request.days
            )
        since, until = utc_bounds(request.days)
        query = ExportQuery(scope=scope, since=since, until=until)
        return Export(self._units, kind, query, self._batch)
