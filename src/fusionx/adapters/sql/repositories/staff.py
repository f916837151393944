from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import ColumnElement, and_, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.errors import unique_writes
from fusionx.adapters.sql.mapping import plain_uuid, staff_from, staff_values
from fusionx.adapters.sql.tables import StaffRow, StaffTruckRow
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.staff import Role, StaffFilter, StaffMember, normalize_email


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

    async def search(self, criteria: StaffFilter, page: PageRequest) -> Page[StaffMember]:
        conditions = _conditions(criteria)
        total = await self._session.scalar(
            select(func.count()).select_from(StaffRow).where(*conditions)
        )
        rows = list(
            await self._session.scalars(
                select(StaffRow)
                .where(*conditions)
                .order_by(StaffRow.name, StaffRow.id)
                .limit(page.limit)
                .offset(page.offset)
            )
        )
        trucks: dict[UUID, list[UUID]] = {row.id: [] for row in rows}
        if rows:
            assigned = await self._session.execute(
                select(StaffTruckRow.staff_id, StaffTruckRow.truck_id).where(
                    StaffTruckRow.staff_id.in_(list(trucks))
                )
            )
            for staff_id, truck_id in assigned:
                trucks[staff_id].append(truck_id)
        return Page(
            items=[staff_from(row, trucks[row.id]) for row in rows],
            total=total or 0,
            limit=page.limit,
            offset=page.offset,
        )

    async def lock_active_owners(self) -> frozenset[UUID]:
        # FOR UPDATE on PostgreSQL: a unit that demotes or deactivates an owner waits for
        # another doing the same, then reads the owners as that one left them (a row no
        # longer an owner drops out). SQLite's BEGIN IMMEDIATE serializes writers anyway.
        owners = await self._session.scalars(
            select(StaffRow.id)
            .where(StaffRow.role == Role.OWNER.value, StaffRow.active.is_(True))
            .order_by(StaffRow.id)
            .with_for_update()
        )
        return frozenset(plain_uuid(owner) for owner in owners)

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


def _conditions(criteria: StaffFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if criteria.text:
        text = criteria.text.lower()
        conditions.append(
            or_(
                func.lower(StaffRow.name).contains(text, autoescape=True),
                StaffRow.email_key.contains(text, autoescape=True),
            )
        )
    if criteria.role is not None:
        conditions.append(StaffRow.role == criteria.role.value)
    if criteria.active is not None:
        conditions.append(StaffRow.active.is_(criteria.active))
    if criteria.truck_id is not None:
        on_truck = select(StaffTruckRow.staff_id).where(StaffTruckRow.truck_id == criteria.truck_id)
        conditions.append(StaffRow.id.in_(on_truck))
    if (scope := criteria.scope) is not None:
        crew_of = select(StaffTruckRow.staff_id).where(
            StaffTruckRow.truck_id.in_(list(scope.truck_ids))
        )
        conditions.append(
            or_(
                StaffRow.id == scope.me,
                and_(StaffRow.role == Role.CREW.value, StaffRow.id.in_(crew_of)),
            )
        )
    return conditions
