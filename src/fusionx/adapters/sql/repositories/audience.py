from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast
from uuid import UUID

import msgspec
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Table,
    and_,
    bindparam,
    false,
    literal_column,
    null,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects import postgresql
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
        _T.c.owner_id.is_not(None).label("has_push"), _S.c.locale,
    )
    .select_from(_S)
    .outerjoin(_P, _P.c.staff_id == _S.c.id)
    .outerjoin(_T, _token_of("staff", _S.c.id))
    .where(_S.c.active.is_(True))
    .order_by(_S.c.created_at, _S.c.id)
)  # fmt: skip


def _of_truck(truck: ColumnElement[Any]) -> CompoundSelect[Any]:
    """A truck's audience in one round trip: its staff with their choices and tokens,
    then its devices holding a push token as rows of the same shape (``is_device``)."""
    staff = (
        _CONTACTS.order_by(None)
        .add_columns(false().label("is_device"), _S.c.created_at.label("since"))
        .where(_S.c.id.in_(select(_ST.c.staff_id).where(_ST.c.truck_id == truck)))
    )
    devices = (
        select(
            _D.c.id, null(), null(), null(), null(), true(), null(), true(),
            _D.c.created_at,
        )
        .join(_T, _token_of("device", _D.c.id))
        .where(_D.c.truck_id == truck, _D.c.revoked_at.is_(None))
    )  # fmt: skip
    return union_all(staff, devices)


_OF_TRUCK = _of_truck(bindparam("truck")).order_by("is_device", "since", "id")


def pg_audience_of(truck: str) -> str:
    """PostgreSQL: ``_OF_TRUCK``'s rows as one JSON text (NULL when none), for a
    statement that reads a truck's audience ahead of its commit (an order's intake).
    ``truck``: an SQL expression of that statement. The rows are the same statement's,
    ``is_device`` first, compiled with its constants in place."""
    rows = _of_truck(literal_column(truck)).compile(
        dialect=postgresql.dialect(),  # type: ignore[no-untyped-call]
        compile_kwargs={"literal_binds": True},
    )
    return f"""
    SELECT json_agg(json_build_array(
        a.is_device, a.id, a.role, a.phone, a.channels, a.quiet_hours, a.has_push, a.locale
    ) ORDER BY a.is_device, a.since, a.id)::text
    FROM ({rows}) AS a"""  # noqa: S608 - our statement and the caller's SQL expression


# What a unit of work read ahead of the reaction to its events: a truck's audience as
# ``pg_audience_of`` answers it (None: nobody), by truck. Used once, then read afresh.
AudienceMemo = dict[UUID, str | None]
_AUDIENCE_ROWS = msgspec.json.Decoder(
    list[tuple[bool, UUID, str | None, str | None, Any, Any, bool, str | None]]
)


class SqlNotificationAudience:
    """``NotificationAudience``: a truck's in one statement (its staff with their
    preferences and tokens, and its devices with tokens), decoded straight into Structs,
    unless the unit read it ahead (``AudienceMemo``)."""

    def __init__(self, session: AsyncSession, ahead: AudienceMemo | None = None) -> None:
        self._session = session
        self._ahead: AudienceMemo = {} if ahead is None else ahead

    async def of_truck(self, truck_id: UUID) -> Audience:
        if truck_id in self._ahead:
            return _audience(_AUDIENCE_ROWS.decode(self._ahead.pop(truck_id) or "[]"))
        rows = await self._session.execute(_OF_TRUCK, {"truck": truck_id})
        return _audience((row.is_device, *row[:7]) for row in rows)

    async def contact(self, staff_id: UUID) -> StaffContact | None:
        row = (await self._session.execute(_CONTACTS.where(_S.c.id == staff_id))).first()
        return None if row is None else _contact(row)


def _audience(rows: Iterable[Sequence[Any]]) -> Audience:
    """From rows of ``is_device`` then ``_CONTACTS``' columns."""
    devices, staff = [], []
    for is_device, *contact in rows:
        if is_device:
            devices.append(plain_uuid(contact[0]))
        else:
            staff.append(_contact(contact))
    return Audience(devices=tuple(devices), staff=tuple(staff))


def _contact(row: Any) -> StaffContact:
    staff_id, role, phone, channels, quiet_hours, has_push, locale = row
    preferences = msgspec.convert(
        {"staff_id": str(staff_id), "channels": channels or {}, "quiet_hours": quiet_hours},
        NotificationPreferences,
    )
    return StaffContact(
        staff_id=plain_uuid(staff_id), role=Role(role), phone=phone, preferences=preferences,
        has_push=bool(has_push), locale=locale,
    )  # fmt: skip
