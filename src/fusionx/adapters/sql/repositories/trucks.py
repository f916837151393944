from __future__ import annotations

from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.mapping import truck_from, truck_row
from fusionx.adapters.sql.tables import TruckRow
from fusionx.core.model.trucks import Truck


class _TruckRows(SQLAlchemyAsyncRepository[TruckRow]):
    model_type = TruckRow


class SqlTruckRepository:
    """``TruckRepository`` on the ``trucks`` table."""

    def __init__(self, session: AsyncSession) -> None:
        self._rows = _TruckRows(session=session, auto_refresh=False, wrap_exceptions=False)

    async def add(self, truck: Truck) -> None:
        await self._rows.add(truck_row(truck))

    async def get(self, truck_id: UUID) -> Truck | None:
        row = await self._rows.get_one_or_none(id=truck_id)
        return None if row is None else truck_from(row)

    async def update(self, truck: Truck) -> None:
        await self._rows.update(truck_row(truck))

    async def list_all(self) -> list[Truck]:
        rows = await self._rows.get_many(order_by=[(TruckRow.name, False), (TruckRow.id, False)])
        return [truck_from(row) for row in rows]
