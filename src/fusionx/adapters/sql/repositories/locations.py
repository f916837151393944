from __future__ import annotations

from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.mapping import location_from, location_row
from fusionx.adapters.sql.tables import LocationRow
from fusionx.core.model.trucks import Location


class _LocationRows(SQLAlchemyAsyncRepository[LocationRow]):
    model_type = LocationRow


class SqlLocationRepository:
    """``LocationRepository`` on the ``locations`` table."""

    def __init__(self, session: AsyncSession) -> None:
        self._rows = _LocationRows(session=session, auto_refresh=False, wrap_exceptions=False)

    async def add(self, location: Location) -> None:
        await self._rows.add(location_row(location))

    async def get(self, location_id: UUID) -> Location | None:
        row = await self._rows.get_one_or_none(id=location_id)
        return None if row is None else location_from(row)

    async def update(self, location: Location) -> None:
        await self._rows.update(location_row(location))

    async def list_all(self, *, active_only: bool = False) -> list[Location]:
        filters: list[ColumnElement[bool]] = [LocationRow.active.is_(True)] if active_only else []
        rows = await self._rows.get_many(
            *filters, order_by=[(LocationRow.name, False), (LocationRow.id, False)]
        )
        return [location_from(row) for row in rows]
