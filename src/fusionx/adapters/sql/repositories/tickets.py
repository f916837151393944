from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.mapping import actor_from, plain_uuid
from fusionx.adapters.sql.tables import OrderLineRow, OrderRow, TicketRow, TicketTransitionRow
from fusionx.core.model.orders import ChosenModifier, OrderLine
from fusionx.core.model.tickets import (
    OPEN_STATES,
    KdsTicket,
    Ticket,
    TicketState,
    TicketTransition,
)

_TICKET = (
    TicketRow.id,
    TicketRow.order_id,
    TicketRow.shift_id,
    TicketRow.number,
    TicketRow.state,
    TicketRow.version,
    TicketRow.created_at,
    TicketRow.updated_at,
)
# Compare-and-set: only the writer that saw the current version moves the ticket.
_MOVE = (
    update(TicketRow)
    .where(TicketRow.id == bindparam("ticket"), TicketRow.version == bindparam("expected"))
    .values(state=bindparam("target"), version=TicketRow.version + 1, updated_at=bindparam("at"))
    .returning(*_TICKET)
)
# The kitchen feed in one round trip: a ticket's row repeats once per order line, and
# the rows arrive grouped by ticket, oldest first, lines in order.
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


class SqlTicketRepository:
    """``TicketRepository`` on ``tickets`` and ``ticket_transitions``.

    ``move`` and ``feed`` are the kitchen's hot paths: single statements whose rows are
    decoded straight into Structs, no ORM objects.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, ticket: Ticket) -> None:
        connection = await self._session.connection()
        await connection.execute(
            insert(TicketRow).values(
                id=ticket.id,
                order_id=ticket.order_id,
                shift_id=ticket.shift_id,
                number=ticket.number,
                state=ticket.state.value,
                version=ticket.version,
                created_at=ticket.created_at,
                updated_at=ticket.updated_at,
            )
        )

    async def get(self, ticket_id: UUID) -> Ticket | None:
        connection = await self._session.connection()
        row = (await connection.execute(select(*_TICKET).where(TicketRow.id == ticket_id))).first()
        return None if row is None else _ticket_from(row)

    async def move(
        self, ticket_id: UUID, *, expected_version: int, target: TicketState, at: datetime
    ) -> Ticket | None:
        connection = await self._session.connection()
        result = await connection.execute(
            _MOVE,
            {"ticket": ticket_id, "expected": expected_version, "target": target.value, "at": at},
        )
        row = result.first()
        return None if row is None else _ticket_from(row)

    async def add_transition(self, transition: TicketTransition) -> None:
        connection = await self._session.connection()
        await connection.execute(
            insert(TicketTransitionRow).values(
                ticket_id=transition.ticket_id,
                source=None if transition.source is None else transition.source.value,
                target=transition.target.value,
                version=transition.version,
                at=transition.at,
                actor_kind=transition.actor.kind.value,
                actor_id=transition.actor.id,
                reason=transition.reason,
            )
        )

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
                head, lines = tuple(row[:8]), []
            item_id = row[8]
            if item_id is not None:  # an order without lines still shows its ticket
                lines.append(
                    OrderLine(
                        item_id=plain_uuid(item_id),
                        name=row[9],
                        unit_price_cents=row[10],
                        quantity=row[11],
                        notes=row[12],
                        modifiers=msgspec.convert(row[13] or [], tuple[ChosenModifier, ...]),
                    )
                )
        if head is not None:
            feed.append(_kds_ticket(head, lines))
        return feed


def _kds_ticket(head: Sequence[Any], lines: list[OrderLine]) -> KdsTicket:
    ticket_id, order_id, number, state, version, created_at, updated_at, customer = head
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
    )


def _ticket_from(row: Sequence[Any]) -> Ticket:
    ticket_id, order_id, shift_id, number, state, version, created_at, updated_at = row
    return Ticket(
        id=plain_uuid(ticket_id),
        order_id=plain_uuid(order_id),
        shift_id=plain_uuid(shift_id),
        number=number,
        state=TicketState(state),
        version=version,
        created_at=created_at,
        updated_at=updated_at,
    )
