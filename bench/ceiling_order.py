"""The ceiling's order: the rows a FusionX window order writes, on raw asyncpg.

One transaction of four round trips (BEGIN, two statements, COMMIT), in FusionX's lock
order: the stock rows first, then the shift row.

1. ``TAKE``: lock the order's stock rows in key order, take every quantity or none
   (nothing is taken when one item is short), and write the ledger rows.
2. ``WRITE``: hold the shift row ``FOR NO KEY UPDATE`` (an UPDATE of non-key columns)
   while taking its next order number and the events' numbers, read the capacity
   limits in force under that lock and refuse the order when the throttle's count is
   reached, then write the order and its lines (priced from the menu rows), its NEW
   ticket, the numbered events (``order.created``, then ``stock.changed`` and
   ``item.sold_out`` as the ledger crossed zero), a NOTIFY for each, and a push for
   each of the truck's devices holding a token (FusionX's new-order alert).

Not done, as nothing in the bench needs it and FusionX pays for it: authentication,
the menu's availability windows and modifiers, the location's tax, the pickup slots and
the promised time's kitchen-load estimate (the ceiling promises five minutes).
A refusal rolls back, so the numbers taken are handed back: 409, as FusionX answers.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
import msgspec

CHANNEL = "bench_ceiling_events"  # not FusionX's: its listeners must not hear the ceiling
ACTOR = ("device", uuid.UUID("00000000-0000-7000-8000-00000000ce11"))

TAKE = """
WITH wanted AS (
    SELECT * FROM unnest($2::uuid[], $3::int[], $4::uuid[]) AS w(item_id, quantity, movement)
), held AS MATERIALIZED (
    SELECT s.item_id, s.on_hand FROM shift_stock s JOIN wanted w USING (item_id)
    WHERE s.shift_id = $1 ORDER BY s.item_id FOR NO KEY UPDATE OF s
), short AS (
    SELECT FROM wanted w LEFT JOIN held h USING (item_id)
    WHERE coalesce(h.on_hand, 0) < w.quantity
), taken AS (
    UPDATE shift_stock s SET on_hand = s.on_hand - w.quantity FROM wanted w
    WHERE s.shift_id = $1 AND s.item_id = w.item_id AND NOT EXISTS (SELECT FROM short)
    RETURNING s.item_id, s.on_hand, w.quantity, w.movement
), recorded AS (
    INSERT INTO stock_movements
        (id, shift_id, item_id, delta, on_hand_after, reason, actor_kind, actor_id, at, order_id)
    SELECT movement, $1, item_id, -quantity, on_hand, 'sale', $7, $8, $6, $5 FROM taken
)
SELECT item_id, on_hand, quantity FROM taken ORDER BY item_id
"""

WRITE = """
WITH typed AS (  -- the parameters' types, given once: the uses below are all typeless
    SELECT $1::uuid, $2::uuid, $3::uuid, $4::timestamptz, $5::text, $6::uuid, $7::text, $13::text
), held AS (
    UPDATE shifts SET last_order_number = last_order_number + 1,
        last_seq = last_seq + 1 + cardinality($11::text[])
    WHERE id = $1 AND state = 'open'
    RETURNING truck_id, last_order_number AS number,
        last_seq - cardinality($11::text[]) AS first_seq
), limits AS (
    SELECT l.limits FROM (
        SELECT 0 AS rank, c.limits FROM shift_capacity c WHERE c.shift_id = $1
        UNION ALL
        SELECT 1, c.limits FROM truck_capacity c JOIN held h ON c.truck_id = h.truck_id
    ) AS l ORDER BY l.rank LIMIT 1
), admitted AS (
    SELECT h.* FROM held h WHERE NOT EXISTS (
        SELECT FROM limits, LATERAL (SELECT limits.limits::jsonb -> 'throttle' AS t) AS throttle
        WHERE throttle.t ->> 'max_orders' IS NOT NULL
        AND (SELECT count(*) FROM orders o WHERE o.shift_id = $1 AND o.created_at
                > $4 - make_interval(mins => (throttle.t ->> 'window_minutes')::int))
            >= (throttle.t ->> 'max_orders')::int
    )
), lines AS (
    SELECT l.position, l.item_id, l.quantity, l.notes, i.name,
        coalesce(t.price_cents, i.price_cents) AS price
    FROM unnest($8::uuid[], $9::int[], $10::text[]) WITH ORDINALITY
        AS l(item_id, quantity, notes, position)
    JOIN menu_items i ON i.id = l.item_id
    LEFT JOIN truck_menu_items t ON t.item_id = l.item_id
        AND t.truck_id = (SELECT truck_id FROM held)
), ordered AS (
    INSERT INTO orders (id, shift_id, number, channel, total_cents, subtotal_cents, created_at,
        created_by_kind, created_by_id, customer_name, state, promised_ready_at)
    SELECT $2, $1, a.number, 'window', s.total, s.total, $4, $5, $6, $7, 'placed',
        $4 + interval '5 minutes'
    FROM admitted a, (SELECT sum(price * quantity)::int AS total FROM lines) AS s
    RETURNING number, total_cents
), lined AS (
    INSERT INTO order_lines
        (order_id, position, item_id, name, unit_price_cents, quantity, notes, modifiers)
    SELECT $2, l.position, l.item_id, l.name, l.price, l.quantity, l.notes, '[]'::json
    FROM ordered, lines l
), ticketed AS (
    INSERT INTO tickets (id, order_id, shift_id, number, state, version, created_at, updated_at)
    SELECT $3, $2, $1, o.number, 'new', 1, $4, $4 FROM ordered o
), events AS (
    SELECT a.first_seq AS seq, 'order.created' AS type, json_build_object(
        'type', 'order.created',
        'order', json_build_object(
            'id', $2, 'shift_id', $1, 'number', o.number, 'channel', 'window',
            'total_cents', o.total_cents, 'subtotal_cents', o.total_cents, 'created_at', $4,
            'created_by', json_build_object('kind', $5, 'id', $6), 'customer_name', $7,
            'state', 'placed', 'promised_ready_at', $4 + interval '5 minutes',
            'lines', (SELECT json_agg(json_build_object(
                'item_id', l.item_id, 'name', l.name, 'unit_price_cents', l.price,
                'quantity', l.quantity, 'notes', l.notes, 'modifiers', '[]'::json
            ) ORDER BY l.position) FROM lines l)),
        'ticket', json_build_object(
            'id', $3, 'order_id', $2, 'shift_id', $1, 'number', o.number, 'state', 'new',
            'version', 1, 'created_at', $4, 'updated_at', $4)
    )::text AS data
    FROM admitted a, ordered o
    UNION ALL
    SELECT a.first_seq + e.n, e.type, e.data
    FROM admitted a, unnest($11::text[], $12::text[]) WITH ORDINALITY AS e(type, data, n)
), logged AS (
    INSERT INTO shift_events (shift_id, seq, type, at, data)
    SELECT $1, seq, type, $4, data::jsonb FROM events
), told AS (
    INSERT INTO notifications (id, truck_id, shift_id, kind, channel, recipient_kind,
        recipient_id, title, body, data, collapse_key, state, attempts, created_at,
        next_attempt_at)
    SELECT gen_random_uuid(), a.truck_id, $1, 'new_order', 'push', 'device', d.id,
        'New order', 'Order #' || a.number, jsonb_build_object('order_id', $2), NULL,
        'pending', 0, $4, $4
    FROM admitted a
    JOIN devices d ON d.truck_id = a.truck_id AND d.revoked_at IS NULL
    JOIN push_tokens p ON p.owner_kind = 'device' AND p.owner_id = d.id
        AND p.disabled_at IS NULL
)
SELECT a.number, (
    SELECT count(pg_notify($13, json_build_object('type', 'event', 'event', json_build_object(
        'shift_id', $1, 'seq', e.seq, 'at', $4, 'data', e.data::json))::text))
    FROM events e
) FROM admitted a
"""


class Line(msgspec.Struct, frozen=True):
    item_id: uuid.UUID
    quantity: int
    notes: str | None = None


class OrderBody(msgspec.Struct, frozen=True):
    lines: list[Line]
    customer_name: str | None = None


_orders = msgspec.json.Decoder(OrderBody)
_REFUSED = 409, b'{"status":409}'


async def place_order(pool: asyncpg.Pool, shift_id: uuid.UUID, body: bytes) -> tuple[int, bytes]:
    try:
        order = _orders.decode(body)
    except msgspec.ValidationError:
        return 422, b'{"status":422}'
    if not 1 <= len(order.lines) <= 50 or any(not 1 <= n.quantity <= 99 for n in order.lines):
        return 422, b'{"status":422}'
    wanted: dict[uuid.UUID, int] = {}
    for line in order.lines:
        wanted[line.item_id] = wanted.get(line.item_id, 0) + line.quantity
    items = sorted(wanted)
    order_id, ticket_id, now = uuid.uuid4(), uuid.uuid4(), datetime.now(UTC)
    kind, actor = ACTOR
    async with pool.acquire() as connection:
        try:
            async with connection.transaction():
                taken = await connection.fetch(
                    TAKE, shift_id, items, [wanted[i] for i in items],
                    [uuid.uuid4() for _ in items], order_id, now, kind, actor,
                )  # fmt: skip
                if len(taken) != len(items):
                    raise _Refused
                types, data = _stock_events(taken, order_id)
                row = await connection.fetchrow(
                    WRITE, shift_id, order_id, ticket_id, now, kind, actor, order.customer_name,
                    [n.item_id for n in order.lines], [n.quantity for n in order.lines],
                    [n.notes for n in order.lines], types, data, CHANNEL,
                )  # fmt: skip
                if row is None:
                    raise _Refused
        except _Refused:
            return _REFUSED
    body = b'{"id":"%s","number":%d,"ticket_id":"%s"}' % (
        str(order_id).encode(),
        row[0],
        str(ticket_id).encode(),
    )
    return 201, body


class _Refused(Exception):
    """Short of stock, the shift not open or its throttle full: roll back."""


def _stock_events(taken: list[asyncpg.Record], order_id: uuid.UUID) -> tuple[list[str], list[str]]:
    """stock.changed for each item taken, and item.sold_out where it reached zero."""
    types: list[str] = []
    data: list[str] = []
    for item_id, on_hand, quantity in taken:
        changed = {
            "type": "stock.changed", "item_id": item_id, "delta": -quantity,
            "on_hand": on_hand, "reason": "sale", "order_id": order_id,
        }  # fmt: skip
        types.append("stock.changed")
        data.append(msgspec.json.encode(changed).decode())
        if on_hand == 0:
            types.append("item.sold_out")
            data.append(msgspec.json.encode({"type": "item.sold_out", "item_id": item_id}).decode())
    return types, data
