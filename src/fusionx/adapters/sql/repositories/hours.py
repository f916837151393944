from __future__ import annotations

from uuid import UUID

import msgspec
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.tables import LocationHoursRow, TruckHoursRow
from fusionx.core.model.hours import OperatingHours

_Table = type[TruckHoursRow] | type[LocationHoursRow]


class SqlOperatingHoursRepository:
    """``OperatingHoursRepository`` on ``truck_hours`` and ``location_hours``: one row of
    JSON per truck or location that has hours, none for one that has not."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def for_truck(self, truck_id: UUID) -> OperatingHours:
        return await self._get(TruckHoursRow, TruckHoursRow.truck_id == truck_id)

    async def for_location(self, location_id: UUID) -> OperatingHours:
        return await self._get(LocationHoursRow, LocationHoursRow.location_id == location_id)

    async def set_for_truck(self, truck_id: UUID, hours: OperatingHours) -> None:
        await self._put(TruckHoursRow, "truck_id", truck_id, hours)

    async def set_for_location(self, location_id: UUID, hours: OperatingHours) -> None:
        await self._put(LocationHoursRow, "location_id", location_id, hours)

    async def _get(self, table: _Table, where: object) -> OperatingHours:
        connection = await self._session.connection()
        data = (await connection.execute(select(table.hours).where(where))).scalar()  # type: ignore[arg-type]
        return OperatingHours() if data is None else msgspec.convert(data, OperatingHours)

    async def _put(self, table: _Table, key: str, owner: UUID, hours: OperatingHours) -> None:
        # Delete and insert: one spelling on both dialects, and the row is the caller's.
        connection = await self._session.connection()
        await connection.execute(delete(table).where(getattr(table, key) == owner))
        if hours.is_set:
            values = {key: owner, "hours": msgspec.to_builtins(hours)}
            await connection.execute(insert(table).values(**values))
