from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    exists,
    func,
    literal,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from fusionx.adapters.sql.mapping import actor_from
from fusionx.adapters.sql.tables import (
    OrderLineRow,
    OrderRow,
    ShiftCapacityRow,
    TicketRow,
    TruckCapacityRow,
)
from fusionx.adapters.sql.time_math import seconds_between
from fusionx.core.model.capacity import (
    QUEUED_STATES,
    CapacityLimits,
    CapacitySetting,
    KitchenLoad,
    RecentOrder,
)
from fusionx.core.model.orders import OrderState
from fusionx.core.model.tickets import TicketState
from fusionx.core.rules.capacity import RECENT_PREPS

CapacityRow = type[ShiftCapacityRow] | type[TruckCapacityRow]


def live_order() -> ColumnElement[bool]:
    """The order still weighs on the kitchen: its ticket is not cancelled and it is not
    a paid order that cannot be served (awaiting payment, it holds its room)."""
    ticket = aliased(TicketRow)  # an alias, so a query joining tickets can use it too
    cancelled = exists().where(
        ticket.order_id == OrderRow.id, ticket.state == TicketState.CANCELLED.value
    )
    return and_(~cancelled, OrderRow.state != OrderState.NEEDS_REFUND.value)


def ticket_times() -> Any:
    """Per ticket of shift ``:shift``: its order's time, and the prep and ready times its
    moves stamped on it (``Ticket.move``; None when it never made them)."""
    return (
        select(
            TicketRow.id.label("ticket_id"),
            OrderRow.created_at.label("ordered_at"),
            TicketRow.prep_at,
            TicketRow.ready_at,
        )
        .join(OrderRow, OrderRow.id == TicketRow.order_id)
        .where(TicketRow.shift_id == bindparam("shift"))
        .subquery("ticket_times")
    )


def _limits_of(table: CapacityRow, rank: int, condition: ColumnElement[bool]) -> Select[Any]:
    return select(
        literal(rank).label("rank"),
        table.limits,
        table.updated_at,
        table.updated_by_kind,
        table.updated_by_id,
    ).where(condition)


# The shift's own row ranks before its truck's: the first row is the one in force.
_IN_FORCE = (
    union_all(
        _limits_of(ShiftCapacityRow, 0, ShiftCapacityRow.shift_id == bindparam("shift")),
        _limits_of(TruckCapacityRow, 1, TruckCapacityRow.truck_id == bindparam("truck")),
    )
    .order_by("rank")
    .limit(1)
)


def _setting(limits: Any, updated_at: datetime, kind: str, actor_id: UUID) -> CapacitySetting:
    return CapacitySetting(
        limits=msgspec.convert(limits, CapacityLimits),
        updated_at=updated_at,
        updated_by=actor_from(kind, actor_id),
    )


@cache
def _kitchen_load(dialect: str, *, with_limits: bool = False) -> Select[Any]:
    """One round trip, built once per dialect: the open tickets' count on every row of
    the latest preps, oldest first (one row with no prep when there is none); and
    ``with_limits``, the limits in force (``_IN_FORCE``) on every row too."""
    queued = (
        select(func.count())
        .where(
            TicketRow.shift_id == bindparam("shift"),
            TicketRow.state.in_([state.value for state in QUEUED_STATES]),
        )
        .scalar_subquery()
    )
    # The times each move keeps on the ticket, read newest first off
    # ix_tickets_shift_id_ready_at: the cost of RECENT_PREPS rows, however long the day.
    latest = (
        select(
            seconds_between(dialect, TicketRow.prep_at, TicketRow.ready_at).label("seconds"),
            TicketRow.ready_at,
            TicketRow.id.label("ticket_id"),
        )
        .where(
            TicketRow.shift_id == bindparam("shift"),
            TicketRow.ready_at.is_not(None),
            TicketRow.prep_at.is_not(None),
        )
        .order_by(TicketRow.ready_at.desc(), TicketRow.id.desc())
        .limit(RECENT_PREPS)
        .subquery("latest")
    )
    rows = select(literal(1).label("one")).subquery("one").outerjoin(latest, true())
    columns: list[Any] = [queued, latest.c.seconds]
    if with_limits:
        limits = _IN_FORCE.subquery("in_force")
        rows = rows.outerjoin(limits, true())
        columns += [limits.c.limits, limits.c.updated_at, limits.c.updated_by_kind]
        columns += [limits.c.updated_by_id]
    return select(*columns).select_from(rows).order_by(latest.c.ready_at, latest.c.ticket_id)


def _load_of(rows: Sequence[Any]) -> KitchenLoad:
    return KitchenLoad(
        queued_tickets=int(rows[0][0] or 0) if rows else 0,
        recent_prep_seconds=tuple(float(row[1]) for row in rows if row[1] is not None),
    )


class SqlCapacityRepository:
    """``CapacityRepository`` on ``shift_capacity`` and ``truck_capacity`` (limits as JSON),
    with the loads counted by the database over ``orders``. ``PgCapacityRepository`` and
    ``SqliteCapacityRepository`` say how their database spells time and upserts."""

    _dialect: str
    # The dialect's INSERT, which has ON CONFLICT.
    _upsert: Any

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def for_shift(self, shift_id: UUID) -> CapacitySetting | None:
        return await self._get(ShiftCapacityRow, ShiftCapacityRow.shift_id == shift_id)

    async def for_truck(self, truck_id: UUID) -> CapacitySetting | None:
        return await self._get(TruckCapacityRow, TruckCapacityRow.truck_id == truck_id)

    async def in_force(self, shift_id: UUID, truck_id: UUID) -> CapacitySetting | None:
        connection = await self._session.connection()
        row = (await connection.execute(_IN_FORCE, {"shift": shift_id, "truck": truck_id})).first()
        return None if row is None else _setting(*row[1:])

    async def set_for_shift(self, shift_id: UUID, setting: CapacitySetting) -> None:
        await self._put(ShiftCapacityRow, {"shift_id": shift_id}, setting)

    async def set_for_truck(self, truck_id: UUID, setting: CapacitySetting) -> None:
        await self._put(TruckCapacityRow, {"truck_id": truck_id}, setting)

    async def recent_orders(self, shift_id: UUID, since: datetime) -> list[RecentOrder]:
        items = (
            select(func.coalesce(func.sum(OrderLineRow.quantity), 0))
            .where(OrderLineRow.order_id == OrderRow.id)
            .scalar_subquery()
        )
        connection = await self._session.connection()
        result = await connection.execute(
            select(OrderRow.created_at, items)
            .where(OrderRow.shift_id == shift_id, OrderRow.created_at > since, live_order())
            .order_by(OrderRow.created_at)
        )
        return [RecentOrder(at=at, items=int(n)) for at, n in result]

    async def slot_loads(self, shift_id: UUID, from_slot: datetime) -> dict[datetime, int]:
        connection = await self._session.connection()
        result = await connection.execute(
            select(OrderRow.pickup_at, func.count())
            .where(OrderRow.shift_id == shift_id, OrderRow.pickup_at >= from_slot, live_order())
            .group_by(OrderRow.pickup_at)
        )
        return {at: int(n) for at, n in result if at is not None}

    async def kitchen_load(self, shift_id: UUID) -> KitchenLoad:
        connection = await self._session.connection()
        result = await connection.execute(_kitchen_load(self._dialect), {"shift": shift_id})
        return _load_of(result.all())

    async def outlook(
        self, shift_id: UUID, truck_id: UUID
    ) -> tuple[CapacitySetting | None, KitchenLoad]:
        connection = await self._session.connection()
        result = await connection.execute(
            _kitchen_load(self._dialect, with_limits=True), {"shift": shift_id, "truck": truck_id}
        )
        rows = result.all()
        first = rows[0] if rows else None
        setting = None if first is None or first[2] is None else _setting(*first[2:])
        return setting, _load_of(rows)

    async def _get(
        self, table: CapacityRow, condition: ColumnElement[bool]
    ) -> CapacitySetting | None:
        connection = await self._session.connection()
        row = (
            await connection.execute(
                select(
                    table.limits, table.updated_at, table.updated_by_kind, table.updated_by_id
                ).where(condition)
            )
        ).first()
        return None if row is None else _setting(*row)

    async def _put(
        self, table: CapacityRow, key: dict[str, UUID], setting: CapacitySetting
    ) -> None:
        values = {
            "limits": msgspec.to_builtins(setting.limits),
            "updated_at": setting.updated_at,
            "updated_by_kind": setting.updated_by.kind.value,
            "updated_by_id": setting.updated_by.id,
        }
        statement = self._upsert(table).values(**key, **values)
        connection = await self._session.connection()
        await connection.execute(
            statement.on_conflict_do_update(index_elements=list(key), set_=values)
        )


class PgCapacityRepository(SqlCapacityRepository):
    _dialect = "postgresql"
    _upsert = staticmethod(postgresql.insert)


class SqliteCapacityRepository(SqlCapacityRepository):
    _dialect = "sqlite"
    _upsert = staticmethod(sqlite.insert)
