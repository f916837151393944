from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

import msgspec
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from fusionx.adapters.sql.mapping import actor_from, plain_uuid, row_values
from fusionx.adapters.sql.tables import OrderLineRow, OrderRow, TicketRow
from fusionx.adapters.sql.unit_statements import driver_fetch
from fusionx.core.model.orders import ChosenModifier, Order, OrderChannel, OrderLine, OrderState
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.tickets import Ticket

# An order and its lines in one round trip (PostgreSQL): the lines come as arrays.
_ORDER_CTE = """
WITH added AS (
    INSERT INTO orders (id, shift_id, number, channel, total_cents, created_at,
        created_by_kind, created_by_id, customer_name, customer_phone, customer_email, state,
        pickup_at, promised_ready_at, customer_id, subtotal_cents, discount_cents, tax_cents,
        tax_rate_bp, tax_inclusive, stock_held)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $22, $23, $24, $25,
        $26, $27, $28)
)"""
# With its first ticket too: the ticket's columns follow the order's parameters.
_TICKET_CTE = """, ticketed AS (
    INSERT INTO tickets (id, order_id, shift_id, number, state, version, created_at,
        updated_at, held_from, fire_at, prep_at, ready_at)
    VALUES ($29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40)
)"""
_LINES = """
INSERT INTO order_lines
    (order_id, position, item_id, name, unit_price_cents, quantity, notes, modifiers)
SELECT $1, l.position, l.item_id, l.name, l.unit_price_cents, l.quantity, l.notes,
       l.modifiers::json
FROM unnest($15::int[], $16::uuid[], $17::text[], $18::int[], $19::int[], $20::text[],
            $21::text[])
    AS l(position, item_id, name, unit_price_cents, quantity, notes, modifiers)
"""
_ADD_WITH_LINES = _ORDER_CTE + _LINES
_ADD_WITH_TICKET = _ORDER_CTE + _TICKET_CTE + _LINES
_ADD_TICKET = insert(TicketRow)


def order_with_ticket_ctes(after: int) -> str:
    """``added``, ``ticketed`` and ``lined``: the writes of ``_ADD_WITH_TICKET`` as CTEs
    of another statement, its parameters numbered from ``$1 + after``: the shift's event
    log sends an order it was handed with its events (``PendingOrders``)."""
    ctes = _ORDER_CTE.strip().removeprefix("WITH ") + _TICKET_CTE + f", lined AS ({_LINES})"
    return re.sub(r"\$(\d+)", lambda number: f"${int(number[1]) + after}", ctes)


class PendingOrder(NamedTuple):
    """An order with its ticket, to be written with its shift's events at commit."""

    shift_id: UUID
    parameters: tuple[object, ...]  # _ADD_WITH_TICKET's


# The unit of work's orders added but not yet sent (PostgreSQL), emptied with its events.
PendingOrders = list[PendingOrder]


def ticket_values(ticket: Ticket) -> dict[str, Any]:
    """A ticket's row, as ``tickets`` stores it."""
    return {
        "id": ticket.id,
        "order_id": ticket.order_id,
        "shift_id": ticket.shift_id,
        "number": ticket.number,
        "state": ticket.state.value,
        "version": ticket.version,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "held_from": None if ticket.held_from is None else ticket.held_from.value,
        "fire_at": ticket.fire_at,
        "prep_at": ticket.prep_at,
        "ready_at": ticket.ready_at,
    }


def _with_lines(order: Order) -> tuple[object, ...]:
    lines = order.lines
    return (
        order.id,
        order.shift_id,
        order.number,
        order.channel.value,
        order.total_cents,
        order.created_at,
        order.created_by.kind.value,
        order.created_by.id,
        order.customer_name,
        order.customer_phone,
        order.customer_email,
        order.state.value,
        order.pickup_at,
        order.promised_ready_at,
        list(range(len(lines))),
        [line.item_id for line in lines],
        [line.name for line in lines],
        [line.unit_price_cents for line in lines],
        [line.quantity for line in lines],
        [line.notes for line in lines],
        [msgspec.json.encode(line.modifiers).decode() for line in lines],
        order.customer_id,
        order.subtotal_cents,
        order.discount_cents,
        order.tax_cents,
        order.tax_rate_bp,
        order.tax_inclusive,
        order.stock_held,
    )


class SqlOrderRepository:
    """``OrderRepository`` on ``orders``, with the lines in ``order_lines`` by position;
    as SQLite runs it. ``PgOrderRepository`` adds an order differently."""

    def __init__(
        self,
        session: AsyncSession,
        pending: PendingOrders | None = None,  # noqa: ARG002 - PostgreSQL's subclass's
    ) -> None:
        # ``pending``: the unit's, which PostgreSQL's subclass fills; here every order is
        # written at once.
        self._session = session

    async def add(self, order: Order) -> None:
        connection = await self._session.connection()
        values = row_values(order, exclude=["lines"]) | {"subtotal_cents": order.subtotal_cents}
        await connection.execute(insert(OrderRow).values(**values))
        if order.lines:
            await connection.execute(
                insert(OrderLineRow),
                [
                    {
                        "order_id": order.id,
                        "position": position,
                        "item_id": line.item_id,
                        "name": line.name,
                        "unit_price_cents": line.unit_price_cents,
                        "quantity": line.quantity,
                        "notes": line.notes,
                        "modifiers": msgspec.to_builtins(line.modifiers),
                    }
                    for position, line in enumerate(order.lines)
                ],
            )

    async def add_with_ticket(self, order: Order, ticket: Ticket) -> None:
        await self.add(order)
        connection = await self._session.connection()
        await connection.execute(_ADD_TICKET, ticket_values(ticket))

    async def get(self, order_id: UUID) -> Order | None:
        return await self._one(order_id)

    async def get_for_update(self, order_id: UUID) -> Order | None:
        # FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already serializes writers.
        return await self._one(order_id, for_update=True)

    async def set_state(self, order_id: UUID, state: OrderState) -> None:
        await self._session.execute(
            update(OrderRow).where(OrderRow.id == order_id).values(state=state.value)
        )

    async def set_promised_ready_at(self, order_id: UUID, at: datetime) -> None:
        await self._session.execute(
            update(OrderRow).where(OrderRow.id == order_id).values(promised_ready_at=at)
        )

    async def set_stock_held(self, order_id: UUID, *, held: bool) -> None:
        await self._session.execute(
            update(OrderRow).where(OrderRow.id == order_id).values(stock_held=held)
        )

    async def lapsed_holds(self, created_before: datetime, limit: int) -> list[UUID]:
        rows = await self._session.execute(
            select(OrderRow.id)
            .where(
                OrderRow.stock_held.is_(True),
                OrderRow.state == OrderState.AWAITING_PAYMENT.value,
                OrderRow.created_at < created_before,
            )
            .order_by(OrderRow.created_at, OrderRow.id)
            .limit(limit)
        )
        return [plain_uuid(order_id) for (order_id,) in rows]

    async def of_customer(self, customer_id: UUID, page: PageRequest) -> Page[Order]:
        # Three round trips for a page, whatever its size: the count, the orders, their lines.
        connection = await self._session.connection()
        mine = OrderRow.customer_id == customer_id
        total = await connection.scalar(select(func.count()).select_from(OrderRow).where(mine))
        rows = (
            await connection.execute(
                select(OrderRow.id, *_ORDER)
                .where(mine)
                .order_by(OrderRow.created_at.desc(), OrderRow.id.desc())
                .limit(page.limit)
                .offset(page.offset)
            )
        ).all()
        ids = [row[0] for row in rows]
        lines: dict[UUID, list[OrderLine]] = {plain_uuid(order_id): [] for order_id in ids}
        if ids:
            found = await connection.execute(
                select(OrderLineRow.order_id, *_LINE)
                .where(OrderLineRow.order_id.in_(ids))
                .order_by(OrderLineRow.order_id, OrderLineRow.position)
            )
            for order_id, *line in found:
                lines[plain_uuid(order_id)].append(_line_from(line))
        items = [
            _order_from(plain_uuid(row[0]), row[1:], tuple(lines[plain_uuid(row[0])]))
            for row in rows
        ]
        return Page(items=items, total=total or 0, limit=page.limit, offset=page.offset)

    async def _one(self, order_id: UUID, *, for_update: bool = False) -> Order | None:
        connection = await self._session.connection()
        statement = select(*_ORDER).where(OrderRow.id == order_id)
        if for_update:
            statement = statement.with_for_update()
        # Past the column count SQLAlchemy types a row for: its values are read as Any.
        row: Any = (await connection.execute(statement)).first()
        if row is None:
            return None
        lines = await connection.execute(
            select(*_LINE).where(OrderLineRow.order_id == order_id).order_by(OrderLineRow.position)
        )
        return _order_from(order_id, row, tuple(_line_from(line) for line in lines))


_ORDER = (
    OrderRow.shift_id,
    OrderRow.number,
    OrderRow.channel,
    OrderRow.total_cents,
    OrderRow.created_at,
    OrderRow.created_by_kind,
    OrderRow.created_by_id,
    OrderRow.customer_name,
    OrderRow.state,
    OrderRow.customer_phone,
    OrderRow.customer_email,
    OrderRow.pickup_at,
    OrderRow.promised_ready_at,
    OrderRow.customer_id,
    OrderRow.tax_cents,
    OrderRow.tax_rate_bp,
    OrderRow.tax_inclusive,
    OrderRow.discount_cents,
    OrderRow.stock_held,
)
_LINE = (
    OrderLineRow.item_id,
    OrderLineRow.name,
    OrderLineRow.unit_price_cents,
    OrderLineRow.quantity,
    OrderLineRow.notes,
    OrderLineRow.modifiers,
)


def _line_from(row: Sequence[Any]) -> OrderLine:
    item_id, name, price, quantity, notes, modifiers = row
    return OrderLine(
        item_id=plain_uuid(item_id),
        name=name,
        unit_price_cents=price,
        quantity=quantity,
        notes=notes,
        modifiers=msgspec.convert(modifiers or [], tuple[ChosenModifier, ...]),
    )


def _order_from(order_id: UUID, row: Sequence[Any], lines: tuple[OrderLine, ...]) -> Order:
    shift_id, number, channel, total, created_at, actor_kind, actor_id = row[:7]
    customer, state, phone, email, pickup_at, promised_ready_at, customer_id = row[7:14]
    tax, rate, inclusive, discount, held = row[14:]
    return Order(
        id=order_id,
        shift_id=plain_uuid(shift_id),
        number=number,
        channel=OrderChannel(channel),
        lines=lines,
        total_cents=total,
        created_at=created_at,
        created_by=actor_from(actor_kind, actor_id),
        customer_name=customer,
        customer_phone=phone,
        customer_email=email,
        customer_id=None if customer_id is None else plain_uuid(customer_id),
        state=OrderState(state),
        pickup_at=pickup_at,
        promised_ready_at=promised_ready_at,
        tax_cents=tax,
        tax_rate_bp=rate,
        tax_inclusive=bool(inclusive),
        discount_cents=discount,
        stock_held=bool(held),
    )


class PgOrderRepository(SqlOrderRepository):
    """PostgreSQL: an order and its lines added in one round trip. An order with its
    first ticket is not sent at once: ``pending``, the unit of work's list, holds it for
    the statement that writes its shift's events at commit (``PgEventLog``). An order is
    never placed without its ``order.created`` event, so this saves a round trip of
    every order, while the order holds its stock and shift rows; nothing in the unit
    reads the order back before it commits."""

    def __init__(self, session: AsyncSession, pending: PendingOrders | None = None) -> None:
        super().__init__(session, pending)
        self._pending = pending

    async def add(self, order: Order) -> None:
        if not order.lines:
            await super().add(order)
            return
        connection = await self._session.connection()
        await driver_fetch(connection, _ADD_WITH_LINES, _with_lines(order))

    async def add_with_ticket(self, order: Order, ticket: Ticket) -> None:
        if not order.lines:
            await super().add_with_ticket(order, ticket)
            return
        parameters = (*_with_lines(order), *ticket_values(ticket).values())
        if self._pending is not None:
            self._pending.append(PendingOrder(order.shift_id, parameters))
            return
        await add_pending(await self._session.connection(), parameters)


async def add_pending(connection: AsyncConnection, parameters: tuple[object, ...]) -> None:
    """Send an order with its ticket (``PendingOrder.parameters``) on its own."""
    await driver_fetch(connection, _ADD_WITH_TICKET, parameters)
