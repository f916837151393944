from __future__ import annotations

from uuid import UUID

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.mapping import device_from, device_row
from fusionx.adapters.sql.tables import DeviceRow
from fusionx.core.model.devices import Device
from fusionx.core.model.paging import Page, PageRequest


class _DeviceRows(SQLAlchemyAsyncRepository[DeviceRow]):
    model_type = DeviceRow


class SqlDeviceRepository:
    """``DeviceRepository`` on the ``devices`` table."""

    def __init__(self, session: AsyncSession) -> None:
        # Two queries for a page, not a count window: a window reports a total of 0 for
        # an offset past the last row, and callers rely on the true total.
        self._rows = _DeviceRows(
            session=session,
            auto_refresh=False,
            wrap_exceptions=False,
            count_with_window_function=False,
        )

    async def add(self, device: Device) -> None:
        await self._rows.add(device_row(device))

    async def get(self, device_id: UUID) -> Device | None:
        row = await self._rows.get_one_or_none(id=device_id)
        return None if row is None else device_from(row)

    async def list_for_truck(self, truck_id: UUID, page: PageRequest) -> Page[Device]:
        rows, total = await self._rows.get_many_and_count(
            LimitOffset(limit=page.limit, offset=page.offset),
            DeviceRow.truck_id == truck_id,
            order_by=[(DeviceRow.created_at, False), (DeviceRow.id, False)],
        )
        return Page(
            items=[device_from(row) for row in rows],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    async def update(self, device: Device) -> None:
        await self._rows.update(device_row(device))
