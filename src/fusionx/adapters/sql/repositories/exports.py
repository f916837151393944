"""``ExportSource`` in SQL: one keyset statement per batch, rows decoded into Structs.

Each kind is a ``select`` whose columns are its row's fields in order (so a result row
becomes the Struct positionally, nothing in between), ordered by its key (time, id, n)
ascending and continued after the last key read: the database walks an index by time
and stops after a batch, and the reader holds one batch at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.repositories.history import in_scope, paid_cents, refunded_cents
from fusionx.adapters.sql.tables import (
    FleetEventRow,
    LocationRow,
    MenuItemRow,
    OrderCancellationRow,
    OrderLineRow,
    OrderRow,
    ReceivedPaymentRow,
    RefundRow,
    ShiftRow,
    StockMovementRow,
    TicketRow,
)
from fusionx.core.model import exports
from fusionx.core.model.exports import ExportKey, ExportKind, ExportQuery, ExportRow
from fusionx.core.model.fleet_events import Stream
from fusionx.core.model.tickets import TicketState


@dataclass(frozen=True)
class _Kind:
    """How one kind is read: its statement (columns in its row's field order, joined to
    ``shifts`` and ``locations``), its key's columns, the time the days filter."""

    statement: Callable[[], Any]
    at: Any
    id: Any
    n: Any = None
    uuid_key: bool = True


def _net() -> Any:
    counted = and_(TicketRow.state.is_not(None), TicketRow.state != TicketState.CANCELLED.value)
    return case((counted, OrderRow.total_cents - refunded_cents()), else_=0)


def _orders() -> Any:
    return (
        select(
            OrderRow.created_at,
            OrderRow.id,
            OrderRow.number,
            OrderRow.shift_id,
            ShiftRow.truck_id,
            ShiftRow.location_id,
            LocationRow.timezone,
            OrderRow.channel,
            OrderRow.state,
            TicketRow.state,
            OrderRow.total_cents,
            paid_cents(),
            refunded_cents(),
            _net(),
            OrderRow.customer_name,
            OrderRow.customer_phone,
            OrderRow.customer_email,
        )
        .join(ShiftRow, ShiftRow.id == OrderRow.shift_id)
        .join(LocationRow, LocationRow.id == ShiftRow.location_id)
        .outerjoin(TicketRow, TicketRow.order_id == OrderRow.id)
    )


def _order_lines() -> Any:
    return (
        select(
            OrderRow.created_at,
            OrderLineRow.order_id,
            OrderLineRow.position,
            OrderRow.number,
            ShiftRow.truck_id,
            LocationRow.timezone,
            OrderLineRow.item_id,
            OrderLineRow.name,
            OrderLineRow.unit_price_cents,
            OrderLineRow.quantity,
            OrderLineRow.unit_price_cents * OrderLineRow.quantity,
            OrderLineRow.notes,
        )
        .join(OrderRow, OrderRow.id == OrderLineRow.order_id)
        .join(ShiftRow, ShiftRow.id == OrderRow.shift_id)
        .join(LocationRow, LocationRow.id == ShiftRow.location_id)
    )


def _payments() -> Any:
    # Payments name an order; one of an order we do not know is in no truck's books.
    return (
        select(
            ReceivedPaymentRow.received_at,
            ReceivedPaymentRow.id,
            ReceivedPaymentRow.order_id,
            OrderRow.number,
            ShiftRow.truck_id,
            LocationRow.timezone,
            ReceivedPaymentRow.kind,
            ReceivedPaymentRow.outcome,
            ReceivedPaymentRow.amount_cents,
            ReceivedPaymentRow.event_id,
            ReceivedPaymentRow.payment_reference,
        )
        .join(OrderRow, OrderRow.id == ReceivedPaymentRow.order_id)
        .join(ShiftRow, ShiftRow.id == OrderRow.shift_id)
        .join(LocationRow, LocationRow.id == ShiftRow.location_id)
    )


def _refunds() -> Any:
    return (
        select(
            RefundRow.at,
            RefundRow.id,
            RefundRow.order_id,
            OrderRow.number,
            ShiftRow.truck_id,
            LocationRow.timezone,
            RefundRow.reason,
            RefundRow.status,
            RefundRow.amount_cents,
            RefundRow.reference,
            RefundRow.note,
            RefundRow.failure,
            RefundRow.actor_kind,
            RefundRow.actor_id,
        )
        .join(OrderRow, OrderRow.id == RefundRow.order_id)
        .join(ShiftRow, ShiftRow.id == RefundRow.shift_id)
        .join(LocationRow, LocationRow.id == ShiftRow.location_id)
    )


def _cancellations() -> Any:
    row = OrderCancellationRow
    return (
        select(
            row.at,
            row.order_id,
            row.number,
            ShiftRow.truck_id,
            LocationRow.timezone,
            row.reason,
            row.from_state,
            row.stock_returned,
            row.amount_cents,
            row.note,
            row.actor_kind,
            row.actor_id,
        )
        .join(ShiftRow, ShiftRow.id == row.shift_id)
        .join(LocationRow, LocationRow.id == ShiftRow.location_id)
    )


def _stock() -> Any:
    row = StockMovementRow
    return (
        select(
            row.at,
            row.id,
            row.shift_id,
            ShiftRow.truck_id,
            LocationRow.timezone,
            row.item_id,
            MenuItemRow.name,
            row.delta,
            row.on_hand_after,
            row.reason,
            row.order_id,
            row.note,
            row.actor_kind,
            row.actor_id,
        )
        .join(ShiftRow, ShiftRow.id == row.shift_id)
        .join(LocationRow, LocationRow.id == ShiftRow.location_id)
        .join(MenuItemRow, MenuItemRow.id == row.item_id)
    )


def _audit() -> Any:
    row = FleetEventRow
    return select(
        row.at,
        row.stream,
        row.seq,
        row.type,
        row.actor_kind,
        row.actor_id,
        row.address,
        row.request_id,
        row.subject_type,
        row.subject_id,
        row.data,
        row.hash,
    )


_KINDS = {
    ExportKind.ORDERS: _Kind(_orders, OrderRow.created_at, OrderRow.id),
    ExportKind.ORDER_LINES: _Kind(
        _order_lines, OrderRow.created_at, OrderLineRow.order_id, OrderLineRow.position
    ),
    ExportKind.PAYMENTS: _Kind(_payments, ReceivedPaymentRow.received_at, ReceivedPaymentRow.id),
    ExportKind.REFUNDS: _Kind(_refunds, RefundRow.at, RefundRow.id),
    ExportKind.CANCELLATIONS: _Kind(
        _cancellations, OrderCancellationRow.at, OrderCancellationRow.order_id
    ),
    ExportKind.STOCK_LEDGER: _Kind(_stock, StockMovementRow.at, StockMovementRow.id),
    ExportKind.AUDIT: _Kind(
        _audit, FleetEventRow.at, FleetEventRow.stream, FleetEventRow.seq, uuid_key=False
    ),
}


def _after(kind: _Kind, key: ExportKey | None) -> list[ColumnElement[bool]]:
    """Rows after ``key`` in (at, id, n) order; ``at >=`` first, which the index serves."""
    if key is None:
        return []
    key_id: Any = UUID(key.id) if kind.uuid_key else key.id
    later = [kind.at > key.at, kind.id > key_id]
    if kind.n is not None:
        later.append(and_(kind.id == key_id, kind.n > key.n))
    return [kind.at >= key.at, or_(*later)]


def _audit_filter(query: ExportQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    trucks = query.scope.trucks
    if trucks is not None:
        streams = [Stream.truck(truck_id).key for truck_id in sorted(trucks)]
        conditions.append(FleetEventRow.stream.in_(streams) if streams else false())
    if query.since is not None:
        conditions.append(FleetEventRow.at >= query.since)
    if query.until is not None:
        conditions.append(FleetEventRow.at < query.until)
    return conditions


def _filtered(kind: ExportKind, how: _Kind, query: ExportQuery) -> list[ColumnElement[bool]]:
    return _audit_filter(query) if kind is ExportKind.AUDIT else in_scope(query.scope, how.at)


class SqlExportSource:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def count(self, kind: ExportKind, query: ExportQuery) -> int:
        how = _KINDS[kind]
        rows = how.statement().where(*_filtered(kind, how, query)).subquery()
        connection = await self._session.connection()
        counted = await connection.execute(select(func.count()).select_from(rows))
        return int(counted.scalar_one())

    async def batch(
        self, kind: ExportKind, query: ExportQuery, *, after: ExportKey | None, limit: int
    ) -> list[ExportRow]:
        how = _KINDS[kind]
        scoped = _filtered(kind, how, query)
        order = [how.at, how.id] + ([how.n] if how.n is not None else [])
        statement = (
            how.statement().where(*scoped, *_after(how, key=after)).order_by(*order).limit(limit)
        )
        connection = await self._session.connection()
        result = await connection.execute(statement)
        row_type = exports.ROW_TYPES[kind]
        if kind is ExportKind.AUDIT:
            return [_audit_row(values) for values in result]
        return [row_type(*values) for values in result]


def _audit_row(values: Any) -> exports.AuditRow:
    fields = list(values)
    fields[10] = exports.audit_data(fields[10])
    return exports.AuditRow(*fields)
