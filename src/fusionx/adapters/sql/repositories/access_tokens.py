from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, bindparam, func, insert, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.events import pg_payload
from fusionx.adapters.sql.driver_pool import ConnectionSource, DriverStatement
from fusionx.adapters.sql.errors import unique_writes
from fusionx.adapters.sql.mapping import (
    device_from,
    named,
    plain_uuid,
    staff_from,
    token_from,
    token_values,
)
from fusionx.adapters.sql.repositories.customers import customer_from
from fusionx.adapters.sql.tables import (
    AccessTokenRow,
    CustomerRow,
    DeviceRow,
    StaffRow,
    StaffTruckRow,
)
from fusionx.core.model.credentials import AccessToken, PrincipalKind
from fusionx.core.model.customers import Customer
from fusionx.core.model.devices import Device
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.staff import StaffMember
from fusionx.ports.repositories.access_tokens import TokenHolder

# Authentication in one round trip: the token, and its staff member (one row per truck
# assignment), its device or its customer. The kind decides which join may match, as
# subject ids of the three tables are not kept apart by the schema. Plain columns, not ORM entities:
# every request runs this, and the rows are decoded straight into Structs.
_TOKEN = (
    AccessTokenRow.id,
    AccessTokenRow.token_hash,
    AccessTokenRow.kind,
    AccessTokenRow.subject_id,
    AccessTokenRow.created_at,
    AccessTokenRow.expires_at,
    AccessTokenRow.revoked_at,
    AccessTokenRow.user_agent,
    AccessTokenRow.client_address,
    AccessTokenRow.last_seen_at,
)
_STAFF = (
    StaffRow.id,
    StaffRow.email,
    StaffRow.name,
    StaffRow.role,
    StaffRow.password_hash,
    StaffRow.created_at,
    StaffRow.phone,
    StaffRow.active,
    StaffRow.locale,
)
_DEVICE = (
    DeviceRow.id,
    DeviceRow.truck_id,
    DeviceRow.label,
    DeviceRow.platform,
    DeviceRow.app_version,
    DeviceRow.os_version,
    DeviceRow.registered_by,
    DeviceRow.created_at,
    DeviceRow.last_seen_at,
    DeviceRow.revoked_at,
    DeviceRow.last_event_seq,
    DeviceRow.battery_percent,
    DeviceRow.queue_depth,
    DeviceRow.stale_since,
)
_CUSTOMER = (
    CustomerRow.id,
    CustomerRow.created_at,
    CustomerRow.email,
    CustomerRow.phone,
    CustomerRow.name,
    CustomerRow.locale,
    CustomerRow.active,
)
_STAFF_AT, _TRUCK_AT = len(_TOKEN), len(_TOKEN) + len(_STAFF)
_DEVICE_AT = _TRUCK_AT + 1
_CUSTOMER_AT = _DEVICE_AT + len(_DEVICE)
_WITH_HOLDER = (
    select(*_TOKEN, *_STAFF, StaffTruckRow.truck_id, *_DEVICE, *_CUSTOMER)
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
    .outerjoin(
        CustomerRow,
        and_(
            AccessTokenRow.kind == PrincipalKind.CUSTOMER.value,
            CustomerRow.id == AccessTokenRow.subject_id,
        ),
    )
    .where(AccessTokenRow.token_hash == bindparam("token_hash"))
)
_WITH_HOLDER_SQL = DriverStatement(_WITH_HOLDER)
# Only a live token changes, so the first revocation time is the one kept.
_REVOKE = (
    update(AccessTokenRow)
    .where(AccessTokenRow.revoked_at.is_(None))
    .values(revoked_at=bindparam("at"))
    .returning(AccessTokenRow.id)
)
# Queued by PostgreSQL until commit, and dropped on rollback, like the events' NOTIFY.
_NOTIFY = text("SELECT pg_notify(:channel, :payload)")


class SqlAccessTokenRepository:
    """``AccessTokenRepository`` on ``access_tokens``; ``token_hash`` is unique.

    Revoked ids go to ``revoked``, the unit of work's list, which hands them to this
    process's bus after commit; on PostgreSQL (``PgAccessTokenRepository``) a NOTIFY in
    the same transaction tells the other processes.
    """

    def __init__(self, session: AsyncSession, revoked: list[UUID] | None = None) -> None:
        self._session = session
        self._revoked = [] if revoked is None else revoked

    async def add(self, token: AccessToken) -> None:
        async with unique_writes(self._session):
            await self._session.execute(insert(AccessTokenRow).values(token_values(token)))

    async def get_by_hash(self, token_hash: str) -> AccessToken | None:
        row = await self._session.scalar(
            select(AccessTokenRow).where(AccessTokenRow.token_hash == token_hash)
        )
        return None if row is None else token_from(row)

    async def get_with_holder(self, token_hash: str) -> TokenHolder | None:
        connection = await self._session.connection()
        result = await connection.execute(_WITH_HOLDER, {"token_hash": token_hash})
        return _holder_from(result.all())

    async def revoke(self, token_id: UUID, at: datetime) -> None:
        await self._revoke(_REVOKE.where(AccessTokenRow.id == token_id), at)

    async def revoke_all_for(
        self, subject_id: UUID, at: datetime, keep: UUID | None = None
    ) -> None:
        statement = _REVOKE.where(AccessTokenRow.subject_id == subject_id)
        if keep is not None:
            statement = statement.where(AccessTokenRow.id != keep)
        await self._revoke(statement, at)

    async def get(self, token_id: UUID) -> AccessToken | None:
        row = await self._session.scalar(
            select(AccessTokenRow).where(AccessTokenRow.id == token_id)
        )
        return None if row is None else token_from(row)

    async def sessions_of(
        self, staff_id: UUID, now: datetime, page: PageRequest
    ) -> Page[AccessToken]:
        live = (
            AccessTokenRow.subject_id == staff_id,
            AccessTokenRow.kind == PrincipalKind.STAFF.value,
            AccessTokenRow.revoked_at.is_(None),
            or_(AccessTokenRow.expires_at.is_(None), AccessTokenRow.expires_at > now),
        )
        total = await self._session.scalar(
            select(func.count()).select_from(AccessTokenRow).where(*live)
        )
        rows = await self._session.scalars(
            select(AccessTokenRow)
            .where(*live)
            .order_by(AccessTokenRow.created_at.desc(), AccessTokenRow.id.desc())
            .limit(page.limit)
            .offset(page.offset)
        )
        return Page(
            items=[token_from(row) for row in rows],
            total=total or 0,
            limit=page.limit,
            offset=page.offset,
        )

    async def seen(self, token_id: UUID, at: datetime, unless_since: datetime) -> None:
        await self._session.execute(
            update(AccessTokenRow)
            .where(
                AccessTokenRow.id == token_id,
                or_(
                    AccessTokenRow.last_seen_at.is_(None),
                    AccessTokenRow.last_seen_at < unless_since,
                ),
            )
            .values(last_seen_at=at)
        )

    async def _revoke(self, statement: Any, at: datetime) -> None:
        result = await self._session.execute(statement, {"at": at})
        revoked = [plain_uuid(token_id) for token_id in result.scalars()]
        self._revoked.extend(revoked)
        if revoked:
            await self._announce(revoked)

    async def _announce(self, revoked: list[UUID]) -> None:
        """Tell the other processes of ``revoked``: one process is all SQLite serves."""


class PgAccessTokenRepository(SqlAccessTokenRepository):
    """PostgreSQL: revocations announced by NOTIFY, sent at commit or not at all."""

    async def _announce(self, revoked: list[UUID]) -> None:
        for payload in pg_payload.encode_revoked(revoked):
            await self._session.execute(
                _NOTIFY, {"channel": pg_payload.CHANNEL, "payload": payload}
            )


class PgDriverAccessTokens(PgAccessTokenRepository):
    """A reading unit's tokens on PostgreSQL: the credential read that every request
    makes runs on the unit's asyncpg connection (``driver_pool.py``), the rest as above."""

    def __init__(self, session: AsyncSession, driver: ConnectionSource) -> None:
        super().__init__(session)
        self._driver = driver

    async def get_with_holder(self, token_hash: str) -> TokenHolder | None:
        connection = await self._driver()
        arguments = _WITH_HOLDER_SQL.arguments(token_hash=token_hash)
        return _holder_from(await connection.fetch(_WITH_HOLDER_SQL.sql, *arguments))


def _holder_from(rows: Sequence[Sequence[Any]]) -> TokenHolder | None:
    """The token and its holder from ``_WITH_HOLDER``'s rows, whichever way they came."""
    if not rows:
        return None
    first = rows[0]
    subject: StaffMember | Device | Customer | None = None
    if first[_STAFF_AT] is not None:
        trucks = [row[_TRUCK_AT] for row in rows if row[_TRUCK_AT] is not None]
        subject = staff_from(named(_STAFF, first[_STAFF_AT:_TRUCK_AT]), trucks)
    elif first[_DEVICE_AT] is not None:
        subject = device_from(named(_DEVICE, first[_DEVICE_AT:_CUSTOMER_AT]))
    elif first[_CUSTOMER_AT] is not None:
        subject = customer_from(named(_CUSTOMER, first[_CUSTOMER_AT:]))
    return TokenHolder(token=token_from(named(_TOKEN, first[:_STAFF_AT])), subject=subject)
