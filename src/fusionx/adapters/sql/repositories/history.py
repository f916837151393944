"""``History`` in SQL: a page of shifts or orders per statement, decoded into Structs.

Every list is a keyset read, newest first: ``(time, id) < cursor`` ordered by both
descending, so PostgreSQL walks ``ix_orders_created_at_id`` (or the shift's index) and
stops after a page, however long the history. Days in the locations' time zones arrive
as UTC windows per location (``LocalWindow``), which the same indexes serve.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.mapping import plain_uuid
from fusionx.adapters.sql.tables import (
    OrderCancellationRow,
    OrderRow,
    ReceivedPaymentRow,
    RefundRow,
    ShiftRow,
    TicketRow,
)
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.history import (
    Cursor,
    OrderQuery,
    OrderRecord,
    Scope,
    ShiftQuery,
    ShiftRecord,
    number_of,
    phone_digits,
)
from fusionx.core.model.orders import OrderChannel, OrderState
from fusionx.core.model.payments import ACTED_ON, PaymentEventKind
from fusionx.core.model.refunds import PaymentState, RefundStatus
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.tickets import TicketState


def in_scope(scope: Scope, at: Any) -> list[ColumnElement[bool]]:
    """The conditions of ``scope`` on ``shifts`` joined in, ``at`` the time column."""
    conditions: list[ColumnElement[bool]] = []
    if scope.trucks is not None:
        conditions.append(ShiftRow.truck_id.in_(sorted(scope.trucks)) if scope.trucks else false())
    if scope.location_id is not None:
        conditions.append(ShiftRow.location_id == scope.location_id)
    if scope.windows is not None:
        windows = [
            and_(
                ShiftRow.location_id == window.location_id,
                *([at >= window.starts] if window.starts is not None else []),
                *([at < window.ends] if window.ends is not None else []),
            )
            for window in scope.windows
        ]
        conditions.append(or_(*windows) if windows else false())
    return conditions


def before(at: Any, key: Any, cursor: Cursor | None) -> list[ColumnElement[bool]]:
    """Rows after ``cursor`` in newest-first order: ``(at, key) < cursor``."""
    if cursor is None:
        return []
    return [at <= cursor.at, or_(at < cursor.at, key < cursor.id)]


def paid_cents() -> Any:
    """What the customer paid: an online order what the gateway took, a window its total."""
    taken = (
        select(ReceivedPaymentRow.amount_cents)
        .where(
            ReceivedPaymentRow.order_id == OrderRow.id,
            ReceivedPaymentRow.kind == PaymentEventKind.SUCCEEDED.value,
            ReceivedPaymentRow.outcome.in_([outcome.value for outcome in ACTED_ON]),
        )
        .limit(1)
        .scalar_subquery()
    )
    return case(
        (OrderRow.channel == OrderChannel.ONLINE.value, func.coalesce(taken, 0)),
        else_=OrderRow.total_cents,
    )


def refunded_cents() -> Any:
    """Given back: the order's refunds that succeeded."""
    return (
        select(func.coalesce(func.sum(RefundRow.amount_cents), 0))
        .where(RefundRow.order_id == OrderRow.id, RefundRow.status == RefundStatus.SUCCEEDED.value)
        .scalar_subquery()
    )


def payment_state(paid: Any, refunded: Any) -> Any:
    """``core.model.history.payment_state_of`` in SQL."""
    refundable = case((paid < OrderRow.total_cents, paid), else_=OrderRow.total_cents)
    return case(
        (paid <= 0, PaymentState.UNPAID.value),
        (refunded == 0, PaymentState.PAID.value),
        (refundable - refunded <= 0, PaymentState.REFUNDED.value),
        else_=PaymentState.PARTIALLY_REFUNDED.value,
    )


def _text_matches(text: str) -> ColumnElement[bool]:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    matches: list[ColumnElement[bool]] = [OrderRow.customer_name.ilike(f"%{escaped}%", escape="\\")]
    digits = phone_digits(text)
    if digits is not None:
        matches.append(OrderRow.customer_phone.like(f"%{digits}%"))
    number = number_of(text)
    if number is not None:
        matches.append(OrderRow.number == number)
    return or_(*matches)


class SqlHistory:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def shifts(
        self, query: ShiftQuery, *, after: Cursor | None, limit: int
    ) -> list[ShiftRecord]:
        orders = (
            select(func.count(), func.coalesce(func.sum(OrderRow.total_cents), 0))
            .join(TicketRow, TicketRow.order_id == OrderRow.id)
            .where(OrderRow.shift_id == ShiftRow.id)
        )
        count = orders.with_only_columns(func.count()).scalar_subquery()
        gross = orders.with_only_columns(
            func.coalesce(func.sum(OrderRow.total_cents), 0)
        ).scalar_subquery()
        conditions = in_scope(query.scope, ShiftRow.opened_at)
        if query.state is not None:
            conditions.append(ShiftRow.state == query.state.value)
        statement = (
            select(
                ShiftRow.id,
                ShiftRow.truck_id,
                ShiftRow.location_id,
                ShiftRow.state,
                ShiftRow.opened_at,
                ShiftRow.closed_at,
                count,
                gross,
            )
            .where(*conditions, *before(ShiftRow.opened_at, ShiftRow.id, after))
            .order_by(ShiftRow.opened_at.desc(), ShiftRow.id.desc())
            .limit(limit)
        )
        connection = await self._session.connection()
        return [
            ShiftRecord(
                id=plain_uuid(shift_id),
                truck_id=plain_uuid(truck_id),
                location_id=plain_uuid(location_id),
                state=ShiftState(state),
                opened_at=opened_at,
                closed_at=closed_at,
                orders=int(n),
                gross_cents=int(cents),
            )
            for shift_id, truck_id, location_id, state, opened_at, closed_at, n, cents in (
                await connection.execute(statement)
            )
        ]

    async def orders(
        self, query: OrderQuery, *, after: Cursor | None, limit: int
    ) -> list[OrderRecord]:
        paid, refunded = paid_cents(), refunded_cents()
        payment = payment_state(paid, refunded)
        reason = (
            select(OrderCancellationRow.reason)
            .where(OrderCancellationRow.order_id == OrderRow.id)
            .scalar_subquery()
        )
        conditions = in_scope(query.scope, OrderRow.created_at)
        if query.state is not None:
            conditions.append(TicketRow.state == query.state.value)
        if query.channel is not None:
            conditions.append(OrderRow.channel == query.channel.value)
        if query.payment is not None:
            conditions.append(payment == query.payment.value)
        if query.reason is not None:
            refund_reasons = select(RefundRow.order_id).where(
                RefundRow.order_id == OrderRow.id, RefundRow.reason == query.reason.value
            )
            conditions.append(or_(reason == query.reason.value, refund_reasons.exists()))
        if query.text:
            conditions.append(_text_matches(query.text))
        statement = (
            select(
                OrderRow.id,
                OrderRow.number,
                OrderRow.shift_id,
                ShiftRow.truck_id,
                ShiftRow.location_id,
                OrderRow.channel,
                OrderRow.state,
                TicketRow.state,
                payment,
                OrderRow.total_cents,
                paid,
                refunded,
                OrderRow.created_at,
                OrderRow.customer_name,
                OrderRow.customer_phone,
                reason,
            )
            .join(ShiftRow, ShiftRow.id == OrderRow.shift_id)
            .outerjoin(TicketRow, TicketRow.order_id == OrderRow.id)
            .where(*conditions, *before(OrderRow.created_at, OrderRow.id, after))
            .order_by(OrderRow.created_at.desc(), OrderRow.id.desc())
            .limit(limit)
        )
        connection = await self._session.connection()
        return [_order_record(row) for row in await connection.execute(statement)]


def _order_record(row: Any) -> OrderRecord:
    (order_id, number, shift_id, truck_id, location_id, channel, state, ticket_state) = row[:8]
    (payment, total, paid, refunded, created_at, name, phone, reason) = row[8:]
    return OrderRecord(
        id=plain_uuid(order_id),
        number=number,
        shift_id=plain_uuid(shift_id),
        truck_id=plain_uuid(truck_id),
        location_id=plain_uuid(location_id),
        channel=OrderChannel(channel),
        state=OrderState(state),
        ticket_state=None if ticket_state is None else TicketState(ticket_state),
        payment=PaymentState(payment),
        total_cents=total,
        paid_cents=int(paid),
        refunded_cents=int(refunded),
        created_at=created_at,
        customer_name=name,
        customer_phone=phone,
        cancel_reason=None if reason is None else CancelReason(reason),
    )
