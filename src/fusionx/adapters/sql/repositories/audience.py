from __future__ import annotations

from typing import Any, cast
from uuid import UUID

import msgspec
from sqlalchemy import ColumnElement, Table, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.mapping import plain_uuid
from fusionx.adapters.sql.tables import (
    DeviceRow,
    NotificationPreferenceRow,
    PushTokenRow,
    StaffRow,
    StaffTruckRow,
)
from fusionx.core.model.audience import Audience, StaffContact
from fusionx.core.model.preferences import NotificationPreferences
from fusionx.core.model.staff import Role

_D = cast(Table, DeviceRow.__table__)
_T = cast(Table, PushTokenRow.__table__)
_S = cast(Table, StaffRow.__table__)
_ST = cast(Table, StaffTruckRow.__table__)
_P = cast(Table, NotificationPreferenceRow.__table__)


def _token_of(kind: str, owner: Any) -> ColumnElement[bool]:
    return and_(_T.c.owner_kind == kind, _T.c.owner_id == owner, _T.c.disabled_at.is_(None))


_CONTACTS = (
    select(
        _S.c.id, _S.c.role, _S.c.phone, _P.c.channels, _P.c.quiet_hours,
        _T.c.owner_id.is_not(None).label("has_push"),
    )
    .select_from(_S)
    .outerjoin(_P, _P.c.staff_id == _S.c.id)
    .outerjoin(_T, _token_of("staff", _S.c.id))
    .where(_S.c.active.is_(True))
    .order_by(_S.c.created_at, _S.c.id)
)  # fmt: skip


class SqlNotificationAudience:
    """``NotificationAudience`` in two statements: devices with their tokens, staff
    with their preferences and tokens, each decoded straight into Structs."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of_truck(self, truck_id: UUID) -> Audience:
        devices = await self._session.execute(
            select(_D.c.id)
            .join(_T, _token_of("device", _D.c.id))
            .where(_D.c.truck_id == truck_id, _D.c.revoked_at.is_(None))
            .order_by(_D.c.created_at, _D.c.id)
        )
        on_truck = select(_ST.c.staff_id).where(_ST.c.truck_id == truck_id)
        staff = await self._session.execute(_CONTACTS.where(_S.c.id.in_(on_truck)))
        return Audience(
            devices=tuple(plain_uuid(device_id) for (device_id,) in devices),
            staff=tuple(_contact(row) for row in staff),
        )

    async def contact(self, staff_id: UUID) -> StaffContact | None:
        row = (await self._session.execute(_CONTACTS.where(_S.c.id == staff_id))).first()
        return None if row is None else _contact(row)


def _contact(row: Any) -> StaffContact:
    staff_id, role, phone, channels, quiet_hours, has_push = row
    preferences = msgspec.convert(
        {"staff_id": str(staff_id), "channels": channels or {}, "quiet_hours": quiet_hours},
        NotificationPreferences,
    )
    return StaffContact(
        staff_id=plain_uuid(staff_id), role=Role(role), phone=phone, preferences=preferences,
        has_push=bool(has_push),
    )  # fmt: skip
