from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import ColumnElement, select, update
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
        self._session = session
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

    async def get_for_update(self, device_id: UUID) -> Device | None:
        row = await self._session.scalar(
            select(DeviceRow)
            .where(DeviceRow.id == device_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return None if row is None else device_from(row)

    async def gone_quiet(self, seen_before: datetime, limit: int) -> list[Device]:
        rows = await self._session.scalars(
            select(DeviceRow)
            .where(_quiet(seen_before))
            .order_by(DeviceRow.last_seen_at, DeviceRow.id)
            .limit(limit)
        )
        return [device_from(row) for row in rows]

    async def mark_stale(self, device_id: UUID, seen_before: datetime, at: datetime) -> bool:
        # Compare-and-set: on PostgreSQL a racing sweep waits on the row lock, then finds
        # stale_since set (or a fresh heartbeat) and updates nothing.
        connection = await self._session.connection()
        result = await connection.execute(
            update(DeviceRow)
            .where(DeviceRow.id == device_id, _quiet(seen_before))
            .values(stale_since=at)
            .returning(DeviceRow.id)
        )
        return result.first() is not None


def _quiet(seen_before: datetime) -> ColumnElement[bool]:
    return (
        DeviceRow.revoked_at.is_(None)
        & DeviceRow.stale_since.is_(None)
        & DeviceRow.last_seen_at.is_not(None)
        & (DeviceRow.last_seen_at < seen_before)
    )
