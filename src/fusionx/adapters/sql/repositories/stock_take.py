"""An order's stock take on PostgreSQL in one statement: lock, check, take and record.

The rows are locked in key order (the ORDER BY sits under the row locks), so takes
racing over the same items queue instead of deadlocking, and the levels checked are
the latest committed ones. Nothing is taken unless every key has enough: all or
nothing without a savepoint. Each ledger row gets the level it left: the level after
the whole take less what the key's later movements took (``later``).

Asked to (``hold``), the same statement then holds the order's shift and takes its
number, as ``hold_for_order`` does, when nothing was short (``hold_ahead.py``). The
shift's row is locked after the stock rows: its UPDATE waits on the check of what is
short, a one-time filter that reads the stock rows ``held`` locked.
"""

from __future__ import annotations

from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from fusionx.adapters.sql.mapping import plain_uuid
from fusionx.adapters.sql.unit_statements import driver_fetch
from fusionx.core.model.stock import StockMovement

Key = tuple[UUID, UUID]

_TAKE = """
WITH wanted AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS w(shift_id, item_id, quantity)
), held AS MATERIALIZED (
    SELECT s.shift_id, s.item_id, s.on_hand
    FROM shift_stock s JOIN wanted w USING (shift_id, item_id)
    ORDER BY s.shift_id, s.item_id
    FOR NO KEY UPDATE OF s
), short AS (
    SELECT w.shift_id, w.item_id, coalesce(h.on_hand, 0) AS on_hand
    FROM wanted w LEFT JOIN held h USING (shift_id, item_id)
    WHERE coalesce(h.on_hand, 0) < w.quantity
), taken AS (
    UPDATE shift_stock s SET on_hand = s.on_hand - w.quantity
    FROM wanted w
    WHERE s.shift_id = w.shift_id AND s.item_id = w.item_id AND NOT EXISTS (SELECT FROM short)
    RETURNING s.shift_id, s.item_id, s.on_hand
), recorded AS (
    INSERT INTO stock_movements
        (id, shift_id, item_id, delta, on_hand_after, reason, actor_kind, actor_id, at,
         order_id, note)
    SELECT m.id, m.shift_id, m.item_id, m.delta, t.on_hand - m.later, m.reason,
           m.actor_kind, m.actor_id, m.at, m.order_id, m.note
    FROM unnest($4::uuid[], $5::uuid[], $6::uuid[], $7::int[], $8::int[], $9::text[],
                $10::text[], $11::uuid[], $12::timestamptz[], $13::uuid[], $14::text[])
        AS m(id, shift_id, item_id, delta, later, reason, actor_kind, actor_id, at,
             order_id, note)
    JOIN taken t USING (shift_id, item_id)
)"""
_TAKEN_AND_SHORT = """
SELECT shift_id, item_id, on_hand, false AS short FROM taken
UNION ALL
SELECT shift_id, item_id, on_hand, true FROM short
"""
_TAKE_ALL = _TAKE + _TAKEN_AND_SHORT
# ``$15``: the shift to hold. Every row carries the held shift's columns and its new
# number (``hold_for_order``'s), or nulls when something was short.
_TAKE_ALL_AND_HOLD = f"""{_TAKE}, admitted AS (
    UPDATE shifts SET last_order_number = last_order_number + 1
    WHERE id = $15::uuid AND NOT EXISTS (SELECT FROM short)
    RETURNING id, truck_id, location_id, state, opened_at, opened_by_kind, opened_by_id,
        closed_at, last_order_number
)
SELECT k.shift_id, k.item_id, k.on_hand, k.short, a.*
FROM ({_TAKEN_AND_SHORT}) k
LEFT JOIN admitted a ON true
"""  # noqa: S608 - statements of ours


class Take(NamedTuple):
    """The level each key was left at; the level of each short key (then nothing was
    taken); and the shift held with its new number, when asked and nothing was short."""

    left: dict[Key, int]
    short: dict[Key, int]
    held: tuple[Any, ...] | None


async def take_all(
    connection: AsyncConnection,
    movements: list[StockMovement],
    wanted: dict[Key, int],
    *,
    hold: UUID | None = None,
) -> Take:
    """Take ``wanted`` per key and record ``movements`` if every key has enough; and
    then, given ``hold``, hold that shift and take its next order number."""
    later: list[int] = []
    still: dict[Key, int] = {}
    for movement in reversed(movements):
        key = (movement.shift_id, movement.item_id)
        later.append(still.get(key, 0))
        still[key] = still.get(key, 0) + movement.delta
    later.reverse()
    keys = list(wanted)
    parameters: tuple[object, ...] = (
        [shift for shift, _ in keys],
        [item for _, item in keys],
        list(wanted.values()),
        [m.id for m in movements],
        [m.shift_id for m in movements],
        [m.item_id for m in movements],
        [m.delta for m in movements],
        later,
        [m.reason.value for m in movements],
        [m.actor.kind.value for m in movements],
        [m.actor.id for m in movements],
        [m.at for m in movements],
        [m.order_id for m in movements],
        [m.note for m in movements],
    )
    if hold is None:
        rows = await driver_fetch(connection, _TAKE_ALL, parameters)
    else:
        rows = await driver_fetch(connection, _TAKE_ALL_AND_HOLD, (*parameters, hold))
    left: dict[Key, int] = {}
    short: dict[Key, int] = {}
    held: tuple[Any, ...] | None = None
    for shift_id, item_id, on_hand, is_short, *shift in rows:
        (short if is_short else left)[plain_uuid(shift_id), plain_uuid(item_id)] = on_hand
        if shift and shift[0] is not None:
            held = tuple(shift)
    return Take(left, short, held)
