from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import ColumnElement, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.errors import unique_writes
from fusionx.adapters.sql.mapping import staff_from, staff_values
from fusionx.adapters.sql.tables import StaffRow, StaffTruckRow
from fusionx.core.model.staff import StaffMember, normalize_email


class SqlStaffRepository:
    """``StaffRepository`` on ``staff``, with ``truck_ids`` kept in ``staff_trucks``.

    Plain statements rather than ORM relationships: the assignments are replaced
    wholesale on every write, which is two statements either way.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, staff: StaffMember) -> None:
        async with unique_writes(self._session):
            await self._session.execute(insert(StaffRow).values(staff_values(staff)))
            await self._assign(staff.id, staff.truck_ids)

    async def get(self, staff_id: UUID) -> StaffMember | None:
        return await self._one(StaffRow.id == staff_id)

    async def get_by_email(self, email: str) -> StaffMember | None:
        return await self._one(StaffRow.email_key == normalize_email(email))

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count()).select_from(StaffRow)) or 0)

    async def update(self, staff: StaffMember) -> None:
        values = staff_values(staff)
        del values["id"]
        async with unique_writes(self._session):
            await self._session.execute(
                update(StaffRow).where(StaffRow.id == staff.id).values(values)
            )
            await self._session.execute(
                delete(StaffTruckRow).where(StaffTruckRow.staff_id == staff.id)
            )
            await self._assign(staff.id, staff.truck_ids)

    async def _one(self, condition: ColumnElement[bool]) -> StaffMember | None:
        row = await self._session.scalar(select(StaffRow).where(condition))
        if row is None:
            return None
        truck_ids = await self._session.scalars(
            select(StaffTruckRow.truck_id).where(StaffTruckRow.staff_id == row.id)
        )
        return staff_from(row, truck_ids)

    async def _assign(self, staff_id: UUID, truck_ids: Iterable[UUID]) -> None:
        rows = [{"staff_id": staff_id, "truck_id": truck_id} for truck_id in truck_ids]
        if rows:
            await self._session.execute(insert(StaffTruckRow), rows)
