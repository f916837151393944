"""``FleetActivity`` in SQL: the live view in two statements, whatever the fleet's history.

The first reads the active trucks with their open shift (``uq_shifts_open_truck_id``),
the last hour's orders counted per truck off ``ix_orders_created_at_id`` (a range of an
hour of the fleet's orders, never its history), the open shift's queue off
``ix_tickets_shift_id_state_created_at`` and its latest preps off
``ix_tickets_shift_id_ready_at`` (``RECENT_PREPS`` rows each). The second reads the quiet
devices of those trucks: a handful of rows per truck.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime
from functools import cache
from typing import Any, cast
from uuid import UUID

from sqlalchemy import BindParameter, Select, and_, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from fusionx.adapters.sql.mapping import plain_uuid
from fusionx.adapters.sql.tables import DeviceRow, OrderRow, ShiftRow, TicketRow, TruckRow
from fusionx.adapters.sql.time_math import seconds_between
from fusionx.core.model.capacity import QUEUED_STATES
from fusionx.core.model.fleet_live import LiveShift, QuietDevice, TruckActivity
from fusionx.core.model.orders import OrderState
from fusionx.core.model.shifts import ShiftState
from fusionx.core.rules.capacity import RECENT_PREPS


@cache
def _trucks(dialect: str, *, some: bool) -> Select[Any]:
    """Every active truck's line, or (``some``) those of the trucks ``:trucks``: then the
    hour's orders are counted for those trucks only, which a one-truck re-read needs."""
    shift = aliased(ShiftRow, name="open_shift")
    asked: BindParameter[list[UUID]] = bindparam("trucks", expanding=True)
    recent = (
        select(ShiftRow.truck_id.label("truck_id"), func.count().label("orders"))
        .select_from(OrderRow)
        .join(ShiftRow, ShiftRow.id == OrderRow.shift_id)
        .where(
            OrderRow.created_at >= bindparam("since"),
            OrderRow.state == OrderState.PLACED.value,
            *([ShiftRow.truck_id.in_(asked)] if some else []),
        )
        .group_by(ShiftRow.truck_id)
        .subquery("recent")
    )
    queued = (
        select(func.count())
        .where(
            TicketRow.shift_id == shift.id,
            TicketRow.state.in_(sorted(state.value for state in QUEUED_STATES)),
        )
        .correlate(shift)
        .scalar_subquery()
    )
    latest = (
        select(seconds_between(dialect, TicketRow.prep_at, TicketRow.ready_at).label("seconds"))
        .where(
            TicketRow.shift_id == shift.id,
            TicketRow.ready_at.is_not(None),
            TicketRow.prep_at.is_not(None),
        )
        .order_by(TicketRow.ready_at.desc(), TicketRow.id.desc())
        .limit(RECENT_PREPS)
        .correlate(shift)
        .subquery("latest")
    )
    typical = select(func.avg(latest.c.seconds)).correlate(shift).scalar_subquery()
    return (
        select(
            TruckRow.id,
            TruckRow.name,
            shift.id,
            shift.location_id,
            shift.state,
            shift.opened_at,
            func.coalesce(recent.c.orders, 0),
            queued,
            typical,
        )
        .select_from(TruckRow)
        .outerjoin(
            shift,
            and_(shift.truck_id == TruckRow.id, shift.state != ShiftState.CLOSED.value),
        )
        .outerjoin(recent, recent.c.truck_id == TruckRow.id)
        .where(TruckRow.active, *([TruckRow.id.in_(asked)] if some else []))
        .order_by(TruckRow.name, TruckRow.id)
    )


class SqlFleetActivity:
    """``PgFleetActivity`` and ``SqliteFleetActivity`` say how their database spells a
    prep time."""

    _dialect: str

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def trucks(
        self, truck_ids: Collection[UUID] | None, *, orders_since: datetime, seen_before: datetime
    ) -> list[TruckActivity]:
        if truck_ids is not None and not truck_ids:
            return []
        statement = _trucks(self._dialect, some=truck_ids is not None)
        values: dict[str, Any] = {"since": orders_since}
        if truck_ids is not None:
            values["trucks"] = sorted(truck_ids)
        connection = await self._session.connection()
        rows = (await connection.execute(statement, values)).all()
        if not rows:
            return []
        quiet = await self._quiet_devices([row[0] for row in rows], seen_before)
        return [_activity(row, quiet.get(plain_uuid(row[0]), ())) for row in rows]

    async def _quiet_devices(
        self, truck_ids: list[UUID], seen_before: datetime
    ) -> dict[UUID, tuple[QuietDevice, ...]]:
        connection = await self._session.connection()
        result = await connection.execute(
            select(DeviceRow.truck_id, DeviceRow.id, DeviceRow.label, DeviceRow.last_seen_at)
            .where(
                DeviceRow.truck_id.in_(truck_ids),
                DeviceRow.revoked_at.is_(None),
                DeviceRow.last_seen_at < seen_before,
            )
            .order_by(DeviceRow.last_seen_at, DeviceRow.id)
        )
        found: defaultdict[UUID, list[QuietDevice]] = defaultdict(list)
        for truck_id, device_id, label, last_seen_at in result.tuples():
            # Never NULL here: a NULL heartbeat is not before ``seen_before``.
            seen = cast("datetime", last_seen_at)
            found[plain_uuid(truck_id)].append(
                QuietDevice(id=plain_uuid(device_id), label=label, last_seen_at=seen)
            )
        return {truck_id: tuple(devices) for truck_id, devices in found.items()}


def _activity(row: Any, quiet: tuple[QuietDevice, ...]) -> TruckActivity:
    truck_id, name, shift_id, location_id, state, opened_at, orders, queued, typical = row
    shift = None
    if shift_id is not None:
        shift = LiveShift(
            id=plain_uuid(shift_id),
            location_id=plain_uuid(location_id),
            state=ShiftState(state),
            opened_at=opened_at,
        )
    return TruckActivity(
        truck_id=plain_uuid(truck_id),
        truck_name=name,
        shift=shift,
        orders_last_hour=int(orders),
        queued_tickets=int(queued or 0),
        typical_prep_seconds=None if typical is None else round(float(typical), 3),
        quiet_devices=quiet,
    )


class PgFleetActivity(SqlFleetActivity):
    _dialect = "postgresql"


class SqliteFleetActivity(SqlFleetActivity):
    _dialect = "sqlite"
