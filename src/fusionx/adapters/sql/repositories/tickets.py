from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import Integer, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.events import pg_payload
from fusionx.adapters.sql.driver_pool import ConnectionSource
from fusionx.adapters.sql.mapping import actor_from, plain_uuid, row_values, sql_words
from fusionx.adapters.sql.repositories.webhooks import SubscribedMemo, pg_subscribed_to
from fusionx.adapters.sql.tables import (
    OrderLineRow,
    OrderRow,
    ShiftRow,
    TicketRow,
    TicketTransitionRow,
)
from fusionx.adapters.sql.unit_statements import driver_fetchrow
from fusionx.core.model.events import NewEvent, ShiftEvent
from fusionx.core.model.orders import ChosenModifier, OrderLine
from fusionx.core.model.tickets import (
    OPEN_STATES,
    HeldFeed,
    KdsTicket,
    Ticket,
    TicketMove,
    TicketState,
    TicketTransition,
)
from fusionx.ports.repositories.tickets import FeedHead, FeedJson, feed_json_in_two_reads

_TICKET = (
    TicketRow.id,
    TicketRow.order_id,
    TicketRow.shift_id,
    TicketRow.number,
    TicketRow.state,
    TicketRow.version,
    TicketRow.created_at,
    TicketRow.updated_at,
    TicketRow.held_from,
    TicketRow.fire_at,
    TicketRow.prep_at,
    TicketRow.ready_at,
)
# Compare-and-set: only the writer that saw the current version moves the ticket, to
# what the ticket decided (``Ticket.move``), stamped times included.
_MOVE = (
    update(TicketRow)
    .where(TicketRow.id == bindparam("ticket"), TicketRow.version == bindparam("expected"))
    .values(
        state=bindparam("state"),
        version=bindparam("version"),
        updated_at=bindparam("updated_at"),
        held_from=bindparam("held_from"),
        fire_at=bindparam("fire_at"),
        prep_at=bindparam("prep_at"),
        ready_at=bindparam("ready_at"),
    )
)
_WITH_TRUCK = (
    select(*_TICKET, ShiftRow.truck_id)
    .join(ShiftRow, ShiftRow.id == TicketRow.shift_id)
    .where(TicketRow.id == bindparam("ticket"))
)
# PostgreSQL: the same read as raw SQL, its rows decoded by _ticket_from. A profile of
# transitions had SQLAlchemy's statement handling at twice the cost of the raw move.
_PG_WITH_TRUCK = """
SELECT t.id, t.order_id, t.shift_id, t.number, t.state, t.version, t.created_at,
    t.updated_at, t.held_from, t.fire_at, t.prep_at, t.ready_at, s.truck_id
FROM tickets t JOIN shifts s ON s.id = t.shift_id
WHERE t.id = $1
"""
# PostgreSQL: the compare-and-set and its history row in one round trip; the history
# row is written only if the move was. Raw SQL in asyncpg's paramstyle: nothing for
# SQLAlchemy to compile or process. It stores what the ticket decided, as _MOVE does.
_PG_SAVE_MOVE = """
WITH moved AS (
    UPDATE tickets
    SET state = $3, version = $4, updated_at = $5, held_from = $6, fire_at = $7,
        prep_at = $8, ready_at = $9
    WHERE id = $1 AND version = $2
    RETURNING id
), recorded AS (
    INSERT INTO ticket_transitions
        (ticket_id, source, target, version, at, actor_kind, actor_id, reason)
    SELECT id, $10, $3, $4, $5, $11, $12, $13 FROM moved
)
SELECT id FROM moved
"""
# PostgreSQL: a kitchen transition's writes in one round trip: the compare-and-set, and
# only if it won, its history row, the next number from the shift's counter (its row
# lock, held to the end of the unit, orders the shift's events as they commit and a
# rollback gives the number back, as the commit-time log does: repositories/events.py),
# the event and its NOTIFY (delivered at commit only). $1-$13 as in _PG_SAVE_MOVE.
# Its last column: the endpoints subscribed to the event's type, which the webhook
# reaction would otherwise read in a statement of its own at commit (``SubscribedMemo``).
_PG_SAVE_MOVE_LOGGED = f"""
WITH moved AS (
    UPDATE tickets
    SET state = $3, version = $4, updated_at = $5, held_from = $6, fire_at = $7,
        prep_at = $8, ready_at = $9
    WHERE id = $1 AND version = $2
    RETURNING id, shift_id
), recorded AS (
    INSERT INTO ticket_transitions
        (ticket_id, source, target, version, at, actor_kind, actor_id, reason)
    SELECT id, $10, $3, $4, $5, $11, $12, $13 FROM moved
), counter AS (
    UPDATE shifts SET last_seq = last_seq + 1
    WHERE id = $14::uuid AND id = (SELECT shift_id FROM moved)
    RETURNING last_seq AS seq
), logged AS (
    INSERT INTO shift_events (shift_id, seq, type, at, data)
    SELECT $14::uuid, seq, $15::varchar, $16::timestamptz, $17::text::jsonb FROM counter
)
SELECT seq, pg_notify($20::text, $18::text || seq || $19::text),
    {pg_subscribed_to("$15::varchar")}
FROM counter
"""  # noqa: S608 - a constant of ours
_DUE = (
    select(*_TICKET)
    .where(
        TicketRow.fire_at.is_not(None),
        TicketRow.fire_at <= bindparam("now"),
        TicketRow.state == TicketState.HOLD.value,
    )
    .order_by(TicketRow.fire_at, TicketRow.id)
    .limit(bindparam("limit", type_=Integer()))
)
_FEED_HEAD = select(ShiftRow.truck_id, ShiftRow.last_seq).where(ShiftRow.id == bindparam("shift"))
_PG_FEED_HEAD = "SELECT truck_id, last_seq FROM shifts WHERE id = $1"
# PostgreSQL's kitchen feed's tickets: the whole answer as one JSON text, in the API's
# shape (``ports/kitchen_feed.py``), sent to the client as it comes. Times are spelled in
# UTC whatever the session's time zone; a ticket's age is worked out here, as of the
# ``now`` the use case read from its clock. Run only inside _PG_FEED_UNLESS_HELD;
# bench/ceiling.py runs a copy of it alone (a test keeps the two the same).
_json = msgspec.json.Encoder()
_PG_FEED = """
SELECT coalesce(json_agg(json_build_object(
    'id', t.id, 'order_id', t.order_id, 'number', t.number, 'state', t.state,
    'version', t.version,
    'created_at', to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'updated_at', to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'age_seconds', greatest(0, floor(extract(epoch FROM $2::timestamptz - t.created_at)))::int,
    'customer_name', o.customer_name,
    'lines', coalesce((
        SELECT json_agg(json_build_object(
            'item_id', l.item_id, 'name', l.name, 'quantity', l.quantity, 'notes', l.notes,
            'modifiers', coalesce((
                SELECT json_agg(m.value->>'name' ORDER BY m.n)
                FROM json_array_elements(l.modifiers) WITH ORDINALITY AS m(value, n)
            ), '[]'::json)
        ) ORDER BY l.position)
        FROM order_lines l WHERE l.order_id = t.order_id
    ), '[]'::json),
    'held_from', t.held_from,
    'fire_at', to_char(t.fire_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'promised_ready_at',
        to_char(o.promised_ready_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
) ORDER BY t.created_at, t.id), '[]'::json)::text
FROM tickets t JOIN orders o ON o.id = t.order_id
WHERE t.shift_id = $1 AND t.state IN ({states})
"""
# PostgreSQL's whole kitchen feed in one round trip and one snapshot: the shift's head
# and, unless the client holds the feed as of its last_seq ($3: any; $4: the numbers its
# tags name), the tickets' JSON, exactly as of that last_seq. The subquery depends on
# parameters alone, so PostgreSQL plans it as an InitPlan, run only when the CASE asks
# for it: a held feed costs the shift's row alone. Raw SQL in asyncpg's paramstyle, as
# the other hot statements: nothing for SQLAlchemy to compile.
_PG_FEED_UNLESS_HELD = f"""
SELECT s.truck_id, s.last_seq,
    CASE WHEN $3::boolean OR s.last_seq = ANY($4::integer[]) THEN NULL ELSE ({_PG_FEED}) END
FROM shifts s
WHERE s.id = $1
"""  # noqa: S608 - two constants of ours


@functools.cache
def pg_feed_unless_held(states: frozenset[TicketState]) -> str:
    """``_PG_FEED_UNLESS_HELD`` for a client's set of states, written into its text: a
    statement per set (the default one nearly always), each planned once per connection.
    Sent as a parameter, the planner could not tell a shift's open tickets from all of
    them: it planned both the full and the held feed (a 304's) again at every call, and a
    plan made once for any states would scan every order (docs/benchmarks.md, fifth pass).
    """
    return _PG_FEED_UNLESS_HELD.replace("{states}", sql_words(states))


# shifts.last_seq is an integer: a tag naming a number beyond it names no state of a feed.
_SEQS = range(-(2**31), 2**31)
# The kitchen feed's typed read (the board's; SQLite's feed) in one round trip: a
# ticket's row repeats once per order line, and the rows arrive grouped by ticket, oldest
# first, lines in order.
_FEED = (
    select(
        TicketRow.id,
        TicketRow.order_id,
        TicketRow.number,
        TicketRow.state,
        TicketRow.version,
        TicketRow.created_at,
        TicketRow.updated_at,
        OrderRow.customer_name,
        TicketRow.held_from,
        TicketRow.fire_at,
        OrderRow.promised_ready_at,
        OrderLineRow.item_id,
        OrderLineRow.name,
        OrderLineRow.unit_price_cents,
        OrderLineRow.quantity,
        OrderLineRow.notes,
        OrderLineRow.modifiers,
    )
    .join(OrderRow, OrderRow.id == TicketRow.order_id)
    .outerjoin(OrderLineRow, OrderLineRow.order_id == TicketRow.order_id)
    .where(TicketRow.shift_id == bindparam("shift"), TicketRow.state.in_(bindparam("states")))
    .order_by(TicketRow.created_at, TicketRow.id, OrderLineRow.position)
)
_TRANSITION = (
    TicketTransitionRow.ticket_id,
    TicketTransitionRow.source,
    TicketTransitionRow.target,
    TicketTransitionRow.version,
    TicketTransitionRow.at,
    TicketTransitionRow.actor_kind,
    TicketTransitionRow.actor_id,
    TicketTransitionRow.reason,
)


_ADD = insert(TicketRow)


class SqlTicketRepository(ABC):
    """``TicketRepository`` on ``tickets`` and ``ticket_transitions``: what both dialects
    share. ``PgTicketRepository`` and ``SqliteTicketRepository`` add the reads and writes
    they spell differently; the unit of work picks one when it is built.

    ``save_move``, ``save_move_logged`` and ``feed_json_unless_held`` are the kitchen's
    hot paths: few statements whose rows are decoded straight into Structs, no ORM
    objects, or (PostgreSQL's feed) not decoded at all. Here the feed is the head, then
    one joined read grouped in Python, encoded in the API's shape.
    """

    def __init__(
        self,
        session: AsyncSession,
        pending: list[NewEvent] | None = None,
        written: list[ShiftEvent] | None = None,
        subscribed: SubscribedMemo | None = None,
    ) -> None:
        # The unit of work's events: ``pending`` numbered at commit, ``written`` already
        # numbered and written (PostgreSQL's save_move_logged), published at commit; and
        # what the statement that wrote one read of the endpoints subscribed to it.
        self._session = session
        self._pending = [] if pending is None else pending
        self._written = [] if written is None else written
        self._subscribed: SubscribedMemo = {} if subscribed is None else subscribed

    async def add(self, ticket: Ticket) -> None:
        connection = await self._session.connection()
        # One statement object for every ticket, values as parameters: its cache key is
        # worked out once, rather than a new statement built and keyed on every order.
        await connection.execute(
            _ADD,
            {
                "id": ticket.id,
                "order_id": ticket.order_id,
                "shift_id": ticket.shift_id,
                "number": ticket.number,
                "state": ticket.state.value,
                "version": ticket.version,
                "created_at": ticket.created_at,
                "updated_at": ticket.updated_at,
                "held_from": _state(ticket.held_from),
                "fire_at": ticket.fire_at,
                "prep_at": ticket.prep_at,
                "ready_at": ticket.ready_at,
            },
        )

    async def get(self, ticket_id: UUID) -> Ticket | None:
        connection = await self._session.connection()
        row = (await connection.execute(select(*_TICKET).where(TicketRow.id == ticket_id))).first()
        return None if row is None else _ticket_from(row)

    @abstractmethod
    async def get_with_truck(self, ticket_id: UUID) -> tuple[Ticket, UUID] | None: ...

    async def for_order(self, order_id: UUID) -> Ticket | None:
        connection = await self._session.connection()
        statement = select(*_TICKET).where(TicketRow.order_id == order_id)
        row = (await connection.execute(statement)).first()
        return None if row is None else _ticket_from(row)

    @abstractmethod
    async def save_move(self, move: TicketMove) -> bool: ...

    async def save_move_logged(self, move: TicketMove, event: NewEvent) -> bool:
        """The move, then its event appended like any other, numbered at commit."""
        if not await self.save_move(move):
            return False
        self._pending.append(event)
        return True

    async def due_to_fire(self, now: datetime, limit: int = 100) -> list[Ticket]:
        connection = await self._session.connection()
        result = await connection.execute(_DUE, {"now": now, "limit": limit})
        return [_ticket_from(row) for row in result]

    async def add_transition(self, transition: TicketTransition) -> None:
        connection = await self._session.connection()
        await connection.execute(insert(TicketTransitionRow).values(row_values(transition)))

    async def history(self, ticket_id: UUID) -> list[TicketTransition]:
        connection = await self._session.connection()
        result = await connection.execute(
            select(*_TRANSITION)
            .where(TicketTransitionRow.ticket_id == ticket_id)
            .order_by(TicketTransitionRow.id)
        )
        return [
            TicketTransition(
                ticket_id=plain_uuid(ticket),
                source=None if source is None else TicketState(source),
                target=TicketState(target),
                version=version,
                at=at,
                actor=actor_from(actor_kind, actor_id),
                reason=reason,
            )
            for ticket, source, target, version, at, actor_kind, actor_id, reason in result
        ]

    async def open_for_shift(self, shift_id: UUID) -> list[Ticket]:
        connection = await self._session.connection()
        result = await connection.execute(
            select(*_TICKET)
            .where(
                TicketRow.shift_id == shift_id,
                TicketRow.state.in_([state.value for state in OPEN_STATES]),
            )
            .order_by(TicketRow.created_at, TicketRow.id)
        )
        return [_ticket_from(row) for row in result]

    async def feed_head(self, shift_id: UUID) -> FeedHead | None:
        connection = await self._session.connection()
        row = (await connection.execute(_FEED_HEAD, {"shift": shift_id})).first()
        return None if row is None else FeedHead(truck_id=plain_uuid(row[0]), last_seq=row[1])

    async def feed(self, shift_id: UUID, states: Collection[TicketState]) -> list[KdsTicket]:
        if not states:
            return []
        connection = await self._session.connection()
        result = await connection.execute(
            _FEED, {"shift": shift_id, "states": [state.value for state in states]}
        )
        feed: list[KdsTicket] = []
        head: tuple[Any, ...] | None = None
        lines: list[OrderLine] = []
        for row in result:
            if head is None or row[0] != head[0]:
                if head is not None:
                    feed.append(_kds_ticket(head, lines))
                head, lines = tuple(row[:11]), []
            item_id = row[11]
            if item_id is not None:  # an order without lines still shows its ticket
                lines.append(
                    OrderLine(
                        item_id=plain_uuid(item_id),
                        name=row[12],
                        unit_price_cents=row[13],
                        quantity=row[14],
                        notes=row[15],
                        modifiers=msgspec.convert(row[16] or [], tuple[ChosenModifier, ...]),
                    )
                )
        if head is not None:
            feed.append(_kds_ticket(head, lines))
        return feed

    async def feed_json_unless_held(
        self,
        shift_id: UUID,
        states: Collection[TicketState],
        now: datetime,
        held: HeldFeed,
    ) -> FeedJson | None:
        return await feed_json_in_two_reads(self, shift_id, states, now, held)


class PgTicketRepository(SqlTicketRepository):
    """PostgreSQL: the hot paths as raw SQL in asyncpg's paramstyle. A profile of
    transitions had SQLAlchemy's statement handling at twice the cost of the raw move.
    The feed's JSON is built by the statement that reads its head, and handed on as
    bytes."""

    async def get_with_truck(self, ticket_id: UUID) -> tuple[Ticket, UUID] | None:
        connection = await self._session.connection()
        found = await driver_fetchrow(connection, _PG_WITH_TRUCK, (ticket_id,))
        return None if found is None else _with_truck(found)

    async def save_move(self, move: TicketMove) -> bool:
        after, transition = move.after, move.transition
        connection = await self._session.connection()
        moved = await driver_fetchrow(
            connection,
            _PG_SAVE_MOVE,
            (
                after.id,
                move.before.version,
                after.state.value,
                after.version,
                after.updated_at,
                _state(after.held_from),
                after.fire_at,
                after.prep_at,
                after.ready_at,
                _state(transition.source),
                transition.actor.kind.value,
                transition.actor.id,
                transition.reason,
            ),
        )
        return moved is not None

    async def save_move_logged(self, move: TicketMove, event: NewEvent) -> bool:
        """One round trip (``_PG_SAVE_MOVE_LOGGED``) when the unit has no event pending:
        one that had would number its events out of append order, or lock the shifts
        out of the commit's order. Else the move, and the event numbered at commit."""
        if self._pending:
            return await super().save_move_logged(move, event)
        after, transition = move.after, move.transition
        head, tail = pg_payload.encode_around_seq(event)
        connection = await self._session.connection()
        row = await driver_fetchrow(
            connection,
            _PG_SAVE_MOVE_LOGGED,
            (
                after.id,
                move.before.version,
                after.state.value,
                after.version,
                after.updated_at,
                _state(after.held_from),
                after.fire_at,
                after.prep_at,
                after.ready_at,
                _state(transition.source),
                transition.actor.kind.value,
                transition.actor.id,
                transition.reason,
                event.shift_id,
                event.type.value,
                event.at,
                _json.encode(event.data).decode(),
                head,
                tail,
                pg_payload.CHANNEL,
            ),
        )
        if row is None:
            return False
        self._written.append(
            ShiftEvent(shift_id=event.shift_id, seq=row[0], at=event.at, data=event.data)
        )
        self._subscribed[frozenset((event.type.value,))] = row[2]
        return True

    async def feed_head(self, shift_id: UUID) -> FeedHead | None:
        connection = await self._session.connection()
        row: Sequence[Any] | None = (
            await connection.exec_driver_sql(_PG_FEED_HEAD, (shift_id,))
        ).first()
        return _feed_head_from(row)

    async def feed_json_unless_held(
        self,
        shift_id: UUID,
        states: Collection[TicketState],
        now: datetime,
        held: HeldFeed,
    ) -> FeedJson | None:
        connection = await self._session.connection()
        statement = pg_feed_unless_held(frozenset(states))
        arguments = _feed_unless_held_arguments(shift_id, now, held)
        row = (await connection.exec_driver_sql(statement, arguments)).first()
        return _feed_json_from(row)


class PgDriverTicketReads(PgTicketRepository):
    """A reading unit's tickets on PostgreSQL: the kitchen feed, which every tablet polls,
    runs on the unit's asyncpg connection (``driver_pool.py``), the rest as above."""

    def __init__(self, session: AsyncSession, driver: ConnectionSource) -> None:
        super().__init__(session)
        self._driver = driver

    async def feed_head(self, shift_id: UUID) -> FeedHead | None:
        connection = await self._driver()
        return _feed_head_from(await connection.fetchrow(_PG_FEED_HEAD, shift_id))

    async def feed_json_unless_held(
        self,
        shift_id: UUID,
        states: Collection[TicketState],
        now: datetime,
        held: HeldFeed,
    ) -> FeedJson | None:
        connection = await self._driver()
        statement = pg_feed_unless_held(frozenset(states))
        arguments = _feed_unless_held_arguments(shift_id, now, held)
        return _feed_json_from(await connection.fetchrow(statement, *arguments))


def _feed_head_from(row: Sequence[Any] | None) -> FeedHead | None:
    return None if row is None else FeedHead(truck_id=plain_uuid(row[0]), last_seq=row[1])


def _feed_unless_held_arguments(
    shift_id: UUID, now: datetime, held: HeldFeed
) -> tuple[object, ...]:
    return (
        shift_id,
        now,
        held.any,
        [seq for seq in held.seqs if seq in _SEQS],
    )


def _feed_json_from(row: Sequence[Any] | None) -> FeedJson | None:
    if row is None:
        return None
    truck_id, last_seq, tickets = row
    return FeedJson(
        truck_id=plain_uuid(truck_id),
        last_seq=last_seq,
        tickets=None if tickets is None else str(tickets).encode(),
    )


class SqliteTicketRepository(SqlTicketRepository):
    """SQLite: the move and its history row as two statements (no writable CTE)."""

    async def get_with_truck(self, ticket_id: UUID) -> tuple[Ticket, UUID] | None:
        connection = await self._session.connection()
        row = (await connection.execute(_WITH_TRUCK, {"ticket": ticket_id})).first()
        return None if row is None else _with_truck(row)

    async def save_move(self, move: TicketMove) -> bool:
        after = move.after
        connection = await self._session.connection()
        result = await connection.execute(
            _MOVE,
            {
                "ticket": after.id,
                "expected": move.before.version,
                "state": after.state.value,
                "version": after.version,
                "updated_at": after.updated_at,
                "held_from": _state(after.held_from),
                "fire_at": after.fire_at,
                "prep_at": after.prep_at,
                "ready_at": after.ready_at,
            },
        )
        if result.rowcount != 1:
            return False
        await self.add_transition(move.transition)
        return True


def _state(state: TicketState | None) -> str | None:
    return None if state is None else state.value


def _kds_ticket(head: Sequence[Any], lines: list[OrderLine]) -> KdsTicket:
    ticket_id, order_id, number, state, version, created_at, updated_at, customer = head[:8]
    held_from, fire_at, promised_ready_at = head[8:]
    return KdsTicket(
        id=plain_uuid(ticket_id),
        order_id=plain_uuid(order_id),
        number=number,
        state=TicketState(state),
        version=version,
        created_at=created_at,
        updated_at=updated_at,
        lines=tuple(lines),
        customer_name=customer,
        held_from=None if held_from is None else TicketState(held_from),
        fire_at=fire_at,
        promised_ready_at=promised_ready_at,
    )


def _with_truck(row: Sequence[Any]) -> tuple[Ticket, UUID]:
    return _ticket_from(row[:12]), plain_uuid(row[12])


def _ticket_from(row: Sequence[Any]) -> Ticket:
    ticket_id, order_id, shift_id, number, state, version, created_at, updated_at = row[:8]
    held_from, fire_at, prep_at, ready_at = row[8:]
    return Ticket(
        id=plain_uuid(ticket_id),
        order_id=plain_uuid(order_id),
        shift_id=plain_uuid(shift_id),
        number=number,
        state=TicketState(state),
        version=version,
        created_at=created_at,
        updated_at=updated_at,
        held_from=None if held_from is None else TicketState(held_from),
        fire_at=fire_at,
        prep_at=prep_at,
        ready_at=ready_at,
    )
