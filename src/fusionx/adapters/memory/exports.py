"""In-memory exports: every row of a kind worked out from the tables, then one batch."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.adapters.memory.history import OrderFacts, in_scope
from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model import exports
from fusionx.core.model.exports import ExportKey, ExportKind, ExportQuery, ExportRow
from fusionx.core.model.fleet_events import Stream, subject_of
from fusionx.core.model.shifts import Shift
from fusionx.core.model.tickets import TicketState


def _sort_key(key: ExportKey) -> tuple[datetime, str | UUID, int]:
    """UUIDs order as the databases order them (by their bytes), not as text."""
    try:
        return key.at, UUID(key.id), key.n
    except ValueError:
        return key.at, key.id, key.n


class InMemoryExportSource:
    def __init__(self, tables: InMemoryTables) -> None:
        self._t = tables

    async def batch(
        self, kind: ExportKind, query: ExportQuery, *, after: ExportKey | None, limit: int
    ) -> list[ExportRow]:
        rows = sorted(self._rows(kind, query), key=lambda row: _sort_key(row.key()))
        if after is not None:
            rows = [row for row in rows if _sort_key(row.key()) > _sort_key(after)]
        return rows[:limit]

    async def count(self, kind: ExportKind, query: ExportQuery) -> int:
        return sum(1 for _ in self._rows(kind, query))

    def _rows(self, kind: ExportKind, query: ExportQuery) -> Iterator[ExportRow]:  # noqa: PLR0911 - a case a kind
        match kind:
            case ExportKind.ORDERS:
                return self._orders(query)
            case ExportKind.ORDER_LINES:
                return self._lines(query)
            case ExportKind.PAYMENTS:
                return self._payments(query)
            case ExportKind.REFUNDS:
                return self._refunds(query)
            case ExportKind.CANCELLATIONS:
                return self._cancellations(query)
            case ExportKind.STOCK_LEDGER:
                return self._stock(query)
            case ExportKind.AUDIT:
                return self._audit(query)

    def _zone(self, shift: Shift) -> str:
        return self._t.locations[shift.location_id].timezone

    def _orders(self, query: ExportQuery) -> Iterator[ExportRow]:
        facts = OrderFacts(self._t)
        for order, shift, ticket in facts.orders():
            if not in_scope(query.scope, shift, order.created_at):
                continue
            refunded = facts.refunded(order.id)
            counted = ticket is not None and ticket.state is not TicketState.CANCELLED
            yield exports.OrderRow(
                order.created_at,
                order.id,
                order.number,
                shift.id,
                shift.truck_id,
                shift.location_id,
                self._zone(shift),
                order.channel.value,
                order.state.value,
                None if ticket is None else ticket.state.value,
                order.total_cents,
                facts.paid(order),
                refunded,
                order.total_cents - refunded if counted else 0,
                order.customer_name,
                order.customer_phone,
                order.customer_email,
            )

    def _lines(self, query: ExportQuery) -> Iterator[ExportRow]:
        for order in self._t.orders.values():
            shift = self._t.shifts[order.shift_id]
            if not in_scope(query.scope, shift, order.created_at):
                continue
            for position, line in enumerate(order.lines):
                yield exports.OrderLineRow(
                    order.created_at,
                    order.id,
                    position,
                    order.number,
                    shift.truck_id,
                    self._zone(shift),
                    line.item_id,
                    line.name,
                    line.unit_price_cents,
                    line.quantity,
                    line.total_cents,
                    line.notes,
                )

    def _payments(self, query: ExportQuery) -> Iterator[ExportRow]:
        for payment in self._t.received_payments.values():
            order = self._t.orders.get(payment.order_id)
            if order is None:
                continue
            shift = self._t.shifts[order.shift_id]
            if not in_scope(query.scope, shift, payment.received_at):
                continue
            yield exports.PaymentRow(
                payment.received_at,
                payment.id,
                order.id,
                order.number,
                shift.truck_id,
                self._zone(shift),
                payment.kind.value,
                payment.outcome.value,
                payment.amount_cents,
                payment.event_id,
                payment.payment_reference,
            )

    def _refunds(self, query: ExportQuery) -> Iterator[ExportRow]:
        for refund in self._t.refunds.values():
            shift = self._t.shifts[refund.shift_id]
            if not in_scope(query.scope, shift, refund.at):
                continue
            yield exports.RefundRow(
                refund.at,
                refund.id,
                refund.order_id,
                self._t.orders[refund.order_id].number,
                shift.truck_id,
                self._zone(shift),
                refund.reason.value,
                refund.status.value,
                refund.amount_cents,
                refund.reference,
                refund.note,
                refund.failure,
                refund.actor.kind.value,
                refund.actor.id,
            )

    def _cancellations(self, query: ExportQuery) -> Iterator[ExportRow]:
        for cancellation in self._t.cancellations.values():
            shift = self._t.shifts[cancellation.shift_id]
            if not in_scope(query.scope, shift, cancellation.at):
                continue
            yield exports.CancellationRow(
                cancellation.at,
                cancellation.order_id,
                cancellation.number,
                shift.truck_id,
                self._zone(shift),
                cancellation.reason.value,
                cancellation.from_state.value,
                cancellation.stock_returned,
                cancellation.amount_cents,
                cancellation.note,
                cancellation.actor.kind.value,
                cancellation.actor.id,
            )

    def _stock(self, query: ExportQuery) -> Iterator[ExportRow]:
        for movements in self._t.ledger.values():
            for movement in movements:
                shift = self._t.shifts[movement.shift_id]
                if not in_scope(query.scope, shift, movement.at):
                    continue
                yield exports.StockRow(
                    movement.at,
                    movement.id,
                    shift.id,
                    shift.truck_id,
                    self._zone(shift),
                    movement.item_id,
                    self._t.items[movement.item_id].name,
                    movement.delta,
                    movement.on_hand_after,
                    movement.reason.value,
                    movement.order_id,
                    movement.note,
                    movement.actor.kind.value,
                    movement.actor.id,
                )

    def _audit(self, query: ExportQuery) -> Iterator[ExportRow]:
        trucks = query.scope.trucks
        streams = None if trucks is None else {Stream.truck(t).key for t in trucks}
        for key, events in self._t.fleet_events.items():
            if streams is not None and key not in streams:
                continue
            for event, (_, digest) in zip(events, self._t.fleet_chain[key], strict=True):
                if (query.since is not None and event.at < query.since) or (
                    query.until is not None and event.at >= query.until
                ):
                    continue
                subject = subject_of(event.data)
                yield exports.AuditRow(
                    event.at,
                    key,
                    event.seq,
                    event.type.value,
                    None if event.actor is None else event.actor.kind.value,
                    None if event.actor is None else event.actor.id,
                    event.origin.address,
                    event.origin.request_id,
                    subject.type,
                    subject.id,
                    exports.audit_data(msgspec.to_builtins(event.data)),
                    digest,
                )
