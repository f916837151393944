"""An order's stock take on PostgreSQL in one statement: lock, check, take and record.

The rows are locked in key order (the ORDER BY sits under the row locks), so takes
racing over the same items queue instead of deadlocking, and the levels checked are
the latest committed ones. Nothing is taken unless every key has enough: all or
nothing without a savepoint. Each ledger row gets the level it left: the level after
the whole take less what the key's later movements took (``later``).
"""

from __future__ import annotations

from typing import cast
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from fusionx.adapters.sql.mapping import plain_uuid
from fusionx.core.model.stock import StockMovement

Key = tuple[UUID, UUID]

_TAKE_ALL = """
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
)
SELECT shift_id, item_id, on_hand, false AS short FROM taken
UNION ALL
SELECT shift_id, item_id, on_hand, true FROM short
"""


async def take_all(
    connection: AsyncConnection, movements: list[StockMovement], wanted: dict[Key, int]
) -> tuple[dict[Key, int], dict[Key, int]]:
    """Take ``wanted`` per key and record ``movements`` if every key has enough.

    Returns the level each key was left at, and the level of each short key (then
    nothing was taken).
    """
    later: list[int] = []
    still: dict[Key, int] = {}
    for movement in reversed(movements):
        key = (movement.shift_id, movement.item_id)
        later.append(still.get(key, 0))
        still[key] = still.get(key, 0) + movement.delta
    later.reverse()
    keys = list(wanted)
    result = await connection.exec_driver_sql(
        _TAKE_ALL,
        (
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
        ),
    )
    left: dict[Key, int] = {}
    short: dict[Key, int] = {}
    rows = cast("list[tuple[UUID, UUID, int, bool]]", result.all())
    for shift_id, item_id, on_hand, is_short in rows:
        (short if is_short else left)[plain_uuid(shift_id), plain_uuid(item_id)] = on_hand
    return left, short
