from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import ColumnElement, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.errors import unique_writes
from fusionx.adapters.sql.mapping import actor_from, plain_uuid, row_values
from fusionx.adapters.sql.repositories.audience import AudienceMemo
from fusionx.adapters.sql.repositories.capacity import SqliteCapacityRepository
from fusionx.adapters.sql.repositories.hold_ahead import HoldAhead
from fusionx.adapters.sql.repositories.menu import SqlMenuRepository
from fusionx.adapters.sql.repositories.notification_settings import ThresholdsMemo
from fusionx.adapters.sql.repositories.order_intake import ORDER_INTAKE
from fusionx.adapters.sql.repositories.webhooks import EVERY_TYPE, SubscribedMemo
from fusionx.adapters.sql.tables import ShiftRow, ShiftTransitionRow
from fusionx.adapters.sql.unit_statements import driver_fetchrow
from fusionx.core.model.capacity import CapacityLimits, CapacitySetting, KitchenLoad
from fusionx.core.model.menu import MenuExcerpt
from fusionx.core.model.order_intake import OrderIntake
from fusionx.core.model.shifts import Shift, ShiftState, ShiftTransition

_SHIFT = (
    ShiftRow.id,
    ShiftRow.truck_id,
    ShiftRow.location_id,
    ShiftRow.state,
    ShiftRow.opened_at,
    ShiftRow.opened_by_kind,
    ShiftRow.opened_by_id,
    ShiftRow.closed_at,
)
_TRANSITION = (
    ShiftTransitionRow.shift_id,
    ShiftTransitionRow.source,
    ShiftTransitionRow.target,
    ShiftTransitionRow.at,
    ShiftTransitionRow.actor_kind,
    ShiftTransitionRow.actor_id,
    ShiftTransitionRow.reason,
)


# The shift held and its next order number, in one statement: an UPDATE of columns no
# foreign key points at takes the row FOR NO KEY UPDATE, as get_for_update does.
_HOLD_FOR_ORDER = (
    update(ShiftRow)
    .where(ShiftRow.id == bindparam("shift"))
    .values(last_order_number=ShiftRow.last_order_number + 1)
    .returning(*_SHIFT, ShiftRow.last_order_number)
)


class SqlShiftRepository:
    """``ShiftRepository`` on ``shifts`` and ``shift_transitions``.

    The partial unique index ``uq_shifts_open_truck_id`` keeps one shift per truck
    that is not closed; on PostgreSQL a racing second check-in waits for the first to
    commit and then fails on it. Order numbers come from the shift row's counter.

    ``held`` is the unit of work's memo of the shifts it holds (read for update, or
    written), which it empties when it ends: no other unit can change a held row, so
    ``get`` answers from it without a round trip (an order's reaction reads the
    shift its admission held). ``audiences``, ``subscribed``, ``thresholds`` and
    ``hold_ahead``: the unit's memos for what an order's intake reads or asks for ahead
    (PostgreSQL's does).
    """

    def __init__(
        self,
        session: AsyncSession,
        held: dict[UUID, Shift] | None = None,
        *,
        audiences: AudienceMemo | None = None,
        subscribed: SubscribedMemo | None = None,
        thresholds: ThresholdsMemo | None = None,
        hold_ahead: HoldAhead | None = None,
    ) -> None:
        self._session = session
        self._held = {} if held is None else held
        self._hold_ahead = HoldAhead() if hold_ahead is None else hold_ahead
        self._audiences: AudienceMemo = {} if audiences is None else audiences
        self._subscribed: SubscribedMemo = {} if subscribed is None else subscribed
        self._thresholds: ThresholdsMemo = {} if thresholds is None else thresholds

    async def add(self, shift: Shift) -> None:
        async with unique_writes(self._session):
            await self._session.execute(insert(ShiftRow).values(row_values(shift)))

    async def get(self, shift_id: UUID) -> Shift | None:
        held = self._held.get(shift_id)
        return held if held is not None else await self._one(ShiftRow.id == shift_id)

    async def order_intake(self, shift_id: UUID, item_ids: Collection[UUID]) -> OrderIntake | None:
        """A read at a time (SQLite): the shift, the menu's ``excerpt`` and the
        capacity ``outlook``."""
        shift = await self.get(shift_id)
        if shift is None:
            return None
        menu = SqlMenuRepository(self._session)
        excerpt = await menu.excerpt(shift.truck_id, shift.location_id, item_ids)
        capacity = SqliteCapacityRepository(self._session)
        setting, load = await capacity.outlook(shift.id, shift.truck_id)
        return OrderIntake(shift=shift, menu=excerpt, setting=setting, load=load)

    async def get_for_update(self, shift_id: UUID) -> Shift | None:
        # FOR NO KEY UPDATE on PostgreSQL; SQLite renders nothing, its transactions
        # already hold the write lock from BEGIN IMMEDIATE. Not FOR UPDATE: every row
        # written with a foreign key to the shift (a stock movement, an order) holds a
        # KEY SHARE lock on it, which FOR UPDATE waits for. Two orders that took stock,
        # then both asked for the shift, would wait for each other: a deadlock.
        shift = await self._one(ShiftRow.id == shift_id, for_update=True)
        if shift is not None:
            self._held[shift.id] = shift
        return shift

    async def open_for_truck(self, truck_id: UUID) -> Shift | None:
        return await self._one(
            ShiftRow.truck_id == truck_id, ShiftRow.state != ShiftState.CLOSED.value
        )

    async def update(self, shift: Shift) -> None:
        values = row_values(shift)
        del values["id"]
        async with unique_writes(self._session):
            await self._session.execute(
                update(ShiftRow).where(ShiftRow.id == shift.id).values(values)
            )
        self._held[shift.id] = shift  # written: this unit holds the row now

    async def add_transition(self, transition: ShiftTransition) -> None:
        await self._session.execute(insert(ShiftTransitionRow).values(row_values(transition)))

    async def history(self, shift_id: UUID) -> list[ShiftTransition]:
        connection = await self._session.connection()
        result = await connection.execute(
            select(*_TRANSITION)
            .where(ShiftTransitionRow.shift_id == shift_id)
            .order_by(ShiftTransitionRow.id)
        )
        return [
            ShiftTransition(
                shift_id=plain_uuid(shift),
                source=None if source is None else ShiftState(source),
                target=ShiftState(target),
                at=at,
                actor=actor_from(actor_kind, actor_id),
                reason=reason,
            )
            for shift, source, target, at, actor_kind, actor_id, reason in result
        ]

    async def next_order_number(self, shift_id: UUID) -> int:
        # The row lock this takes holds until commit, so numbers are gapless and a
        # rollback hands the number back.
        connection = await self._session.connection()
        number = await connection.scalar(
            update(ShiftRow)
            .where(ShiftRow.id == shift_id)
            .values(last_order_number=ShiftRow.last_order_number + 1)
            .returning(ShiftRow.last_order_number)
        )
        if number is None:
            raise LookupError(f"no shift {shift_id}")
        return int(number)

    async def hold_for_order(self, shift_id: UUID) -> tuple[Shift, int] | None:
        connection = await self._session.connection()
        row = (await connection.execute(_HOLD_FOR_ORDER, {"shift": shift_id})).first()
        return None if row is None else self._held_for_order(row)

    def _held_for_order(self, row: Sequence[Any]) -> tuple[Shift, int]:
        """The shift and its new number from a hold's row (its columns, then the
        number); held by this unit from now on."""
        *columns, number = row
        shift = _shift_from(columns)
        self._held[shift.id] = shift
        return shift, int(number)

    async def _one(
        self, *conditions: ColumnElement[bool], for_update: bool = False
    ) -> Shift | None:
        statement = select(*_SHIFT).where(*conditions)
        if for_update:
            statement = statement.with_for_update(key_share=True)
        connection = await self._session.connection()
        row = (await connection.execute(statement)).first()
        return None if row is None else _shift_from(row)


class PgShiftRepository(SqlShiftRepository):
    """PostgreSQL: ``order_intake`` in one statement (``order_intake.ORDER_INTAKE``),
    which also reads what the reactions to the order's events will want (the truck's
    audience, the webhook endpoints, the items' thresholds) into the unit's memos: at
    commit they would be read while the order holds its rows. It also asks for the
    shift's hold ahead, which the order's stock take then does (``hold_ahead.py``), so
    ``hold_for_order`` mostly answers from the memo."""

    async def hold_for_order(self, shift_id: UUID) -> tuple[Shift, int] | None:
        row = self._hold_ahead.held.pop(shift_id, None)  # held with the order's stock
        return await super().hold_for_order(shift_id) if row is None else self._held_for_order(row)

    async def order_intake(self, shift_id: UUID, item_ids: Collection[UUID]) -> OrderIntake | None:
        connection = await self._session.connection()
        row = await driver_fetchrow(connection, ORDER_INTAKE, (shift_id, list(set(item_ids))))
        if row is None:
            return None
        columns: tuple[Any, ...] = tuple(row)
        excerpt, queued, preps, limits, updated_at, kind, actor_id = columns[8:15]
        audience, endpoints, thresholds = columns[15:]
        shift = _shift_from(columns[:8])
        self._audiences[shift.truck_id] = audience
        self._subscribed[EVERY_TYPE] = endpoints
        self._thresholds[shift.id] = (frozenset(item_ids), thresholds)
        self._hold_ahead.wanted.add(shift.id)  # an order follows: held with its stock
        setting = (
            None
            if limits is None
            else CapacitySetting(
                limits=msgspec.json.decode(limits, type=CapacityLimits),
                updated_at=updated_at,
                updated_by=actor_from(kind, actor_id),
            )
        )
        recent = () if preps is None else msgspec.json.decode(preps, type=tuple[float, ...])
        return OrderIntake(
            shift=shift,
            menu=msgspec.json.decode(excerpt, type=MenuExcerpt),
            setting=setting,
            load=KitchenLoad(queued_tickets=int(queued), recent_prep_seconds=recent),
        )


def _shift_from(row: Sequence[Any]) -> Shift:
    shift_id, truck_id, location_id, state, opened_at, kind, actor_id, closed_at = row
    return Shift(
        id=plain_uuid(shift_id),
        truck_id=plain_uuid(truck_id),
        location_id=plain_uuid(location_id),
        state=ShiftState(state),
        opened_at=opened_at,
        opened_by=actor_from(kind, actor_id),
        closed_at=closed_at,
    )
