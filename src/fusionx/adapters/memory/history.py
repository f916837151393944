"""In-memory history and exports: the same answers as the SQL reads, in Python."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from uuid import UUID

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.history import (
    Cursor,
    OrderQuery,
    OrderRecord,
    Scope,
    ShiftQuery,
    ShiftRecord,
    number_of,
    payment_state_of,
    phone_digits,
)
from fusionx.core.model.orders import Order, OrderChannel
from fusionx.core.model.payments import ACTED_ON, PaymentEventKind
from fusionx.core.model.refunds import RefundStatus
from fusionx.core.model.shifts import Shift
from fusionx.core.model.tickets import Ticket


def in_scope(scope: Scope, shift: Shift, at: datetime) -> bool:
    if scope.trucks is not None and shift.truck_id not in scope.trucks:
        return False
    if scope.location_id is not None and shift.location_id != scope.location_id:
        return False
    if scope.windows is None:
        return True
    return any(
        window.location_id == shift.location_id
        and (window.starts is None or at >= window.starts)
        and (window.ends is None or at < window.ends)
        for window in scope.windows
    )


def _newest_first(
    rows: list[tuple[datetime, UUID, object]], after: Cursor | None, limit: int
) -> list[object]:
    rows.sort(key=lambda row: (row[0], row[1]), reverse=True)
    if after is not None:
        rows = [row for row in rows if (row[0], row[1]) < (after.at, after.id)]
    return [row[2] for row in rows[:limit]]


class OrderFacts:
    """What an order's history row adds up, from the tables."""

    def __init__(self, tables: InMemoryTables) -> None:
        self._t = tables
        self.tickets = {ticket.order_id: ticket for ticket in tables.tickets.values()}

    def orders(self) -> Iterator[tuple[Order, Shift, Ticket | None]]:
        for order in self._t.orders.values():
            yield order, self._t.shifts[order.shift_id], self.tickets.get(order.id)

    def paid(self, order: Order) -> int:
        if order.channel is not OrderChannel.ONLINE:
            return order.total_cents
        for payment in self._t.received_payments.values():
            if (
                payment.order_id == order.id
                and payment.kind is PaymentEventKind.SUCCEEDED
                and payment.outcome in ACTED_ON
            ):
                return payment.amount_cents
        return 0

    def refunded(self, order_id: UUID) -> int:
        return sum(
            refund.amount_cents
            for refund in self._t.refunds.values()
            if refund.order_id == order_id and refund.status is RefundStatus.SUCCEEDED
        )


class InMemoryHistory:
    def __init__(self, tables: InMemoryTables) -> None:
        self._t = tables

    async def shifts(
        self, query: ShiftQuery, *, after: Cursor | None, limit: int
    ) -> list[ShiftRecord]:
        facts = OrderFacts(self._t)
        rows: list[tuple[datetime, UUID, object]] = []
        for shift in self._t.shifts.values():
            if not in_scope(query.scope, shift, shift.opened_at):
                continue
            if query.state is not None and shift.state is not query.state:
                continue
            served = [
                order
                for order, _, ticket in facts.orders()
                if order.shift_id == shift.id and ticket is not None
            ]
            record = ShiftRecord(
                id=shift.id,
                truck_id=shift.truck_id,
                location_id=shift.location_id,
                state=shift.state,
                opened_at=shift.opened_at,
                closed_at=shift.closed_at,
                orders=len(served),
                gross_cents=sum(order.total_cents for order in served),
            )
            rows.append((shift.opened_at, shift.id, record))
        return _newest_first(rows, after, limit)  # type: ignore[return-value]

    async def orders(
        self, query: OrderQuery, *, after: Cursor | None, limit: int
    ) -> list[OrderRecord]:
        facts = OrderFacts(self._t)
        rows: list[tuple[datetime, UUID, object]] = []
        for order, shift, ticket in facts.orders():
            if not in_scope(query.scope, shift, order.created_at):
                continue
            cancellation = self._t.cancellations.get(order.id)
            paid, refunded = facts.paid(order), facts.refunded(order.id)
            record = OrderRecord(
                id=order.id,
                number=order.number,
                shift_id=shift.id,
                truck_id=shift.truck_id,
                location_id=shift.location_id,
                channel=order.channel,
                state=order.state,
                ticket_state=None if ticket is None else ticket.state,
                payment=payment_state_of(paid, order.total_cents, refunded),
                total_cents=order.total_cents,
                paid_cents=paid,
                refunded_cents=refunded,
                created_at=order.created_at,
                customer_name=order.customer_name,
                customer_phone=order.customer_phone,
                cancel_reason=None if cancellation is None else cancellation.reason,
            )
            if self._matches(query, record):
                rows.append((order.created_at, order.id, record))
        return _newest_first(rows, after, limit)  # type: ignore[return-value]

    def _matches(self, query: OrderQuery, record: OrderRecord) -> bool:
        if query.state is not None and record.ticket_state is not query.state:
            return False
        if query.channel is not None and record.channel is not query.channel:
            return False
        if query.payment is not None and record.payment is not query.payment:
            return False
        if query.reason is not None and not (
            record.cancel_reason is query.reason
            or any(
                refund.order_id == record.id and refund.reason is query.reason
                for refund in self._t.refunds.values()
            )
        ):
            return False
        return not query.text or _text_matches(query.text, record)


def _text_matches(text: str, record: OrderRecord) -> bool:
    if record.customer_name is not None and text.casefold() in record.customer_name.casefold():
        return True
    digits = phone_digits(text)
    if digits is not None and record.customer_phone and digits in record.customer_phone:
        return True
    return number_of(text) == record.number
