from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.errors import unique_writes
from fusionx.adapters.sql.mapping import device_from, staff_from, token_from, token_values
from fusionx.adapters.sql.tables import AccessTokenRow, DeviceRow, StaffRow, StaffTruckRow
from fusionx.core.model.credentials import AccessToken, PrincipalKind
from fusionx.core.model.devices import Device
from fusionx.core.model.staff import StaffMember
from fusionx.ports.repositories.access_tokens import TokenHolder

# Authentication in one round trip: the token, and its staff member (one row per truck
# assignment) or its device. The kind decides which join may match, as subject ids of
# the two tables are not kept apart by the schema.
_WITH_HOLDER = (
    select(AccessTokenRow, StaffRow, StaffTruckRow.truck_id, DeviceRow)
    .outerjoin(
        StaffRow,
        and_(
            AccessTokenRow.kind == PrincipalKind.STAFF.value,
            StaffRow.id == AccessTokenRow.subject_id,
        ),
    )
    .outerjoin(StaffTruckRow, StaffTruckRow.staff_id == StaffRow.id)
    .outerjoin(
        DeviceRow,
        and_(
            AccessTokenRow.kind == PrincipalKind.DEVICE.value,
            DeviceRow.id == AccessTokenRow.subject_id,
        ),
    )
    .where(AccessTokenRow.token_hash == bindparam("token_hash"))
)


class SqlAccessTokenRepository:
    """``AccessTokenRepository`` on ``access_tokens``; ``token_hash`` is unique."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: AccessToken) -> None:
        async with unique_writes(self._session):
            await self._session.execute(insert(AccessTokenRow).values(token_values(token)))

    async def get_by_hash(self, token_hash: str) -> AccessToken | None:
        row = await self._session.scalar(
            select(AccessTokenRow).where(AccessTokenRow.token_hash == token_hash)
        )
        return None if row is None else token_from(row)

    async def get_with_holder(self, token_hash: str) -> TokenHolder | None:
        rows = (await self._session.execute(_WITH_HOLDER, {"token_hash": token_hash})).all()
        if not rows:
            return None
        token, staff, _, device = rows[0]
        truck_ids = [truck_id for *_, truck_id, _ in rows if truck_id is not None]
        subject: StaffMember | Device | None = None
        if staff is not None:
            subject = staff_from(staff, truck_ids)
        elif device is not None:
            subject = device_from(device)
        return TokenHolder(token=token_from(token), subject=subject)

    async def revoke(self, token_id: UUID, at: datetime) -> None:
        # Only a live token changes, so the first revocation time is the one kept.
        await self._session.execute(
            update(AccessTokenRow)
            .where(AccessTokenRow.id == token_id, AccessTokenRow.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    async def revoke_all_for(
        self, subject_id: UUID, at: datetime, keep: UUID | None = None
    ) -> None:
        statement = update(AccessTokenRow).where(
            AccessTokenRow.subject_id == subject_id, AccessTokenRow.revoked_at.is_(None)
        )
        if keep is not None:
            statement = statement.where(AccessTokenRow.id != keep)
        await self._session.execute(statement.values(revoked_at=at))
