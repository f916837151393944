from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from uuid import UUID

import msgspec
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from fusionx.adapters.sql.mapping import actor_from, plain_uuid, row_values
from fusionx.adapters.sql.repositories.hold_ahead import HoldAhead
from fusionx.adapters.sql.repositories.stock_take import take_all
from fusionx.adapters.sql.tables import ShiftStockRow, StockMovementRow
from fusionx.core.model.stock import Shortage, StockMovement, StockReason, StockTake

_Key = tuple[UUID, UUID]
# Both dialects spell upserts the same way (ON CONFLICT), through different classes.
_Upsert = postgresql.Insert | sqlite.Insert

# Take q units only if q are there. On PostgreSQL a racing writer's row lock makes this
# wait, then re-check the condition against the committed level: no oversell.
_TAKE = (
    update(ShiftStockRow)
    .where(
        ShiftStockRow.shift_id == bindparam("shift"),
        ShiftStockRow.item_id == bindparam("item"),
        ShiftStockRow.on_hand >= bindparam("quantity"),
    )
    .values(on_hand=ShiftStockRow.on_hand - bindparam("quantity"))
    .returning(ShiftStockRow.on_hand)
)
_ON_HAND = select(ShiftStockRow.on_hand).where(
    ShiftStockRow.shift_id == bindparam("shift"), ShiftStockRow.item_id == bindparam("item")
)
_MOVEMENT = (
    StockMovementRow.id,
    StockMovementRow.shift_id,
    StockMovementRow.item_id,
    StockMovementRow.delta,
    StockMovementRow.on_hand_after,
    StockMovementRow.reason,
    StockMovementRow.actor_kind,
    StockMovementRow.actor_id,
    StockMovementRow.at,
    StockMovementRow.order_id,
    StockMovementRow.note,
)


class SqlStockLedger(ABC):
    """``StockLedger`` on ``shift_stock`` (the level) and ``stock_movements`` (the ledger).

    Every write changes the level with one guarded statement and records the level it
    left in the ledger row, in the same transaction, so on-hand is always the ledger's
    sum and never below zero, whatever runs concurrently. ``PgStockLedger`` and
    ``SqliteStockLedger`` take an order's stock each their own way.
    """

    # The dialect's INSERT, which has ON CONFLICT.
    _upsert: Callable[[type[ShiftStockRow]], _Upsert]

    def __init__(self, session: AsyncSession, hold_ahead: HoldAhead | None = None) -> None:
        # ``hold_ahead``: the unit's shifts to hold with an order's stock; only
        # PostgreSQL's take does (the dialects share this constructor).
        self._session = session
        self._hold_ahead = HoldAhead() if hold_ahead is None else hold_ahead

    async def levels(self, shift_id: UUID) -> dict[UUID, int]:
        connection = await self._session.connection()
        result = await connection.execute(
            select(ShiftStockRow.item_id, ShiftStockRow.on_hand).where(
                ShiftStockRow.shift_id == shift_id
            )
        )
        return {plain_uuid(item_id): on_hand for item_id, on_hand in result}

    async def take(self, movements: list[StockMovement]) -> StockTake:
        if not movements:
            return StockTake()
        wanted: dict[_Key, int] = {}
        for movement in movements:
            key = (movement.shift_id, movement.item_id)
            wanted[key] = wanted.get(key, 0) - movement.delta
        return await self._take(movements, wanted)

    @abstractmethod
    async def _take(self, movements: list[StockMovement], wanted: dict[_Key, int]) -> StockTake:
        """Take ``wanted`` (units per key, for ``movements``) all or nothing."""

    async def adjust(self, movement: StockMovement) -> StockMovement | None:
        connection = await self._session.connection()
        if movement.delta < 0:
            on_hand = await connection.scalar(
                _TAKE,
                {"shift": movement.shift_id, "item": movement.item_id, "quantity": -movement.delta},
            )
        else:
            on_hand = await connection.scalar(_add(self._upsert, movement))
        if on_hand is None:  # only a take can find too little
            return None
        return await self._record(connection, movement, on_hand)

    async def set_count(self, movement: StockMovement, count: int) -> StockMovement:
        connection = await self._session.connection()
        key = {"shift": movement.shift_id, "item": movement.item_id}
        # Make sure there is a row to lock: a count may be the item's first movement.
        await connection.execute(_insert_missing(self._upsert, movement))
        on_hand = await connection.scalar(_ON_HAND.with_for_update(), key)
        await connection.execute(
            update(ShiftStockRow)
            .where(
                ShiftStockRow.shift_id == movement.shift_id,
                ShiftStockRow.item_id == movement.item_id,
            )
            .values(on_hand=count)
        )
        counted = msgspec.structs.replace(movement, delta=count - (on_hand or 0))
        return await self._record(connection, counted, count)

    async def movements(self, shift_id: UUID) -> list[StockMovement]:
        connection = await self._session.connection()
        result = await connection.execute(
            select(*_MOVEMENT)
            .where(StockMovementRow.shift_id == shift_id)
            .order_by(StockMovementRow.at, StockMovementRow.id)
        )
        return [
            StockMovement(
                id=plain_uuid(movement_id),
                shift_id=plain_uuid(shift),
                item_id=plain_uuid(item),
                delta=delta,
                on_hand_after=on_hand_after,
                reason=StockReason(reason),
                actor=actor_from(actor_kind, actor_id),
                at=at,
                order_id=None if order_id is None else plain_uuid(order_id),
                note=note,
            )
            for (
                movement_id,
                shift,
                item,
                delta,
                on_hand_after,
                reason,
                actor_kind,
                actor_id,
                at,
                order_id,
                note,
            ) in result
        ]

    @staticmethod
    async def _record(
        connection: AsyncConnection, movement: StockMovement, on_hand: int
    ) -> StockMovement:
        recorded = msgspec.structs.replace(movement, on_hand_after=on_hand)
        await connection.execute(insert(StockMovementRow).values(row_values(recorded)))
        return recorded


class PgStockLedger(SqlStockLedger):
    """PostgreSQL: an order's stock taken by one statement, all or nothing by itself;
    and its shift held with it when the unit's intake asked (``hold_ahead.py``)."""

    _upsert = staticmethod(postgresql.insert)

    async def _take(self, movements: list[StockMovement], wanted: dict[_Key, int]) -> StockTake:
        connection = await self._session.connection()
        hold = self._hold_ahead.shift_to_hold({shift for shift, _ in wanted})
        left, short, held = await take_all(connection, movements, wanted, hold=hold)
        if hold is not None and held is not None:
            self._hold_ahead.held[hold] = held
        if short:
            # Reported in the order the caller listed the items.
            return StockTake(
                shortages=tuple(
                    Shortage(item_id=key[1], requested=wanted[key], available=short[key])
                    for key in wanted
                    if key in short
                )
            )
        return StockTake(taken=tuple(_with_levels(movements, left, wanted)))


class SqliteStockLedger(SqlStockLedger):
    """SQLite: an item at a time, inside a savepoint that a shortage rolls back."""

    _upsert = staticmethod(sqlite.insert)

    async def _take(self, movements: list[StockMovement], wanted: dict[_Key, int]) -> StockTake:
        # A savepoint, so a shortage undoes the items already taken and nothing else.
        # The session emits SAVEPOINT when asked for its connection, hence this order.
        savepoint = await self._session.begin_nested()
        try:
            connection = await self._session.connection()
            left, short = await _take_each(connection, wanted)
            if short:
                await savepoint.rollback()
                shortages = [
                    Shortage(item_id=item, requested=wanted[shift, item], available=available)
                    for (shift, item), available in short.items()
                ]
                return StockTake(shortages=tuple(shortages))
            taken = _with_levels(movements, left, wanted)
            await connection.execute(insert(StockMovementRow), [row_values(m) for m in taken])
            await savepoint.commit()
        except BaseException:
            if savepoint.is_active:
                await savepoint.rollback()
            raise
        return StockTake(taken=tuple(taken))


async def _take_each(
    connection: AsyncConnection, wanted: dict[_Key, int]
) -> tuple[dict[_Key, int], dict[_Key, int]]:
    """Take every key's quantity, in key order so concurrent takes cannot deadlock.

    Returns what each taken key left, and what each short key has (they were not taken).
    """
    left: dict[_Key, int] = {}
    short: dict[_Key, int] = {}
    for key in sorted(wanted):
        shift, item = key
        params = {"shift": shift, "item": item}
        on_hand = await connection.scalar(_TAKE, {**params, "quantity": wanted[key]})
        if on_hand is None:
            short[key] = await connection.scalar(_ON_HAND, params) or 0
        else:
            left[key] = on_hand
    # Report shortages in the order the caller listed the items.
    return left, {key: short[key] for key in wanted if key in short}


def _with_levels(
    movements: Iterable[StockMovement], left: dict[_Key, int], wanted: dict[_Key, int]
) -> list[StockMovement]:
    """The movements with the level each left, replaying each key from its level before."""
    level = {key: left[key] + wanted[key] for key in left}
    recorded = []
    for movement in movements:
        key = (movement.shift_id, movement.item_id)
        level[key] += movement.delta
        recorded.append(msgspec.structs.replace(movement, on_hand_after=level[key]))
    return recorded


def _add(
    upsert: Callable[[type[ShiftStockRow]], _Upsert], movement: StockMovement
) -> ReturningInsert[int]:
    """Add a non-negative delta, creating the level row on the item's first movement."""
    statement = upsert(ShiftStockRow).values(
        shift_id=movement.shift_id, item_id=movement.item_id, on_hand=movement.delta
    )
    return statement.on_conflict_do_update(
        index_elements=[ShiftStockRow.shift_id, ShiftStockRow.item_id],
        set_={"on_hand": ShiftStockRow.on_hand + statement.excluded.on_hand},
    ).returning(ShiftStockRow.on_hand)


def _insert_missing(
    upsert: Callable[[type[ShiftStockRow]], _Upsert], movement: StockMovement
) -> _Upsert:
    return (
        upsert(ShiftStockRow)
        .values(shift_id=movement.shift_id, item_id=movement.item_id, on_hand=0)
        .on_conflict_do_nothing(index_elements=[ShiftStockRow.shift_id, ShiftStockRow.item_id])
    )
