"""What an export holds: one row per order, order line, payment, refund, cancellation,
stock movement or audit record, oldest first, read from the database in batches.

Each row type is what the database gives (money in integer cents, times aware UTC, the
location's time zone beside them); the edge writes it as CSV or JSON Lines and adds the
decimal amounts and the local times (``docs/exports.md``). A batch continues from the
``ExportKey`` of the last row of the batch before: a keyset, so the reader never holds
more than a batch, and rows written meanwhile do not shift what follows.
"""

from __future__ import annotations

import enum
import json
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from fusionx.core.model.audit import canonical
from fusionx.core.model.history import Scope

# Rows per batch: small enough to keep memory flat, large enough that round trips are few.
EXPORT_BATCH = 1000


class ExportKind(enum.StrEnum):
    ORDERS = "orders"
    ORDER_LINES = "order-lines"
    PAYMENTS = "payments"
    REFUNDS = "refunds"
    CANCELLATIONS = "cancellations"
    STOCK_LEDGER = "stock-ledger"
    AUDIT = "audit"


class ExportKey(msgspec.Struct, frozen=True, array_like=True):
    """Where a batch ends: the time of its last row, then its id (text), then a number
    (a line's position, an audit record's seq; 0 where a row has none)."""

    at: datetime
    id: str
    n: int = 0


class ExportQuery(msgspec.Struct, frozen=True, kw_only=True):
    """Which rows: the trucks and local days of ``scope``; the audit trail, which has no
    location, takes the days in UTC (``since``, ``until``)."""

    scope: Scope = Scope()
    since: datetime | None = None
    until: datetime | None = None


class OrderRow(msgspec.Struct, frozen=True):
    """``net_cents``: what the order adds to the summary's net sales (nothing without a
    ticket, nothing once cancelled, its total less succeeded refunds otherwise)."""

    created_at: datetime
    order_id: UUID
    number: int
    shift_id: UUID
    truck_id: UUID
    location_id: UUID
    timezone: str
    channel: str
    state: str
    ticket_state: str | None
    total_cents: int
    paid_cents: int
    refunded_cents: int
    net_cents: int
    customer_name: str | None
    customer_phone: str | None
    customer_email: str | None

    def key(self) -> ExportKey:
        return ExportKey(self.created_at, str(self.order_id))


class OrderLineRow(msgspec.Struct, frozen=True):
    created_at: datetime
    order_id: UUID
    position: int
    number: int
    truck_id: UUID
    timezone: str
    item_id: UUID
    name: str
    unit_price_cents: int
    quantity: int
    line_total_cents: int
    notes: str | None

    def key(self) -> ExportKey:
        return ExportKey(self.created_at, str(self.order_id), self.position)


class PaymentRow(msgspec.Struct, frozen=True):
    received_at: datetime
    payment_id: UUID
    order_id: UUID
    number: int
    truck_id: UUID
    timezone: str
    kind: str
    outcome: str
    amount_cents: int
    event_id: str
    payment_reference: str | None

    def key(self) -> ExportKey:
        return ExportKey(self.received_at, str(self.payment_id))


class RefundRow(msgspec.Struct, frozen=True):
    at: datetime
    refund_id: UUID
    order_id: UUID
    number: int
    truck_id: UUID
    timezone: str
    reason: str
    status: str
    amount_cents: int
    reference: str | None
    note: str | None
    failure: str | None
    actor_kind: str
    actor_id: UUID

    def key(self) -> ExportKey:
        return ExportKey(self.at, str(self.refund_id))


class CancellationRow(msgspec.Struct, frozen=True):
    at: datetime
    order_id: UUID
    number: int
    truck_id: UUID
    timezone: str
    reason: str
    from_state: str
    stock_returned: bool
    amount_cents: int
    note: str | None
    actor_kind: str
    actor_id: UUID

    def key(self) -> ExportKey:
        return ExportKey(self.at, str(self.order_id))


class StockRow(msgspec.Struct, frozen=True):
    at: datetime
    movement_id: UUID
    shift_id: UUID
    truck_id: UUID
    timezone: str
    item_id: UUID
    item_name: str
    delta: int
    on_hand_after: int
    reason: str
    order_id: UUID | None
    note: str | None
    actor_kind: str
    actor_id: UUID

    def key(self) -> ExportKey:
        return ExportKey(self.at, str(self.movement_id))


def audit_data(data: Any) -> str:
    """An audit record's data as JSON text, keys sorted: alike whatever stored it."""
    return json.dumps(canonical(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class AuditRow(msgspec.Struct, frozen=True):
    """``data`` is the record's data as JSON text (``audit_data``)."""

    at: datetime
    stream: str
    seq: int
    action: str
    actor_kind: str | None
    actor_id: UUID | None
    address: str | None
    request_id: str | None
    subject_type: str
    subject_id: str | None
    data: str
    hash: str

    def key(self) -> ExportKey:
        return ExportKey(self.at, self.stream, self.seq)


ExportRow = OrderRow | OrderLineRow | PaymentRow | RefundRow | CancellationRow | StockRow | AuditRow

ROW_TYPES: dict[ExportKind, type[ExportRow]] = {
    ExportKind.ORDERS: OrderRow,
    ExportKind.ORDER_LINES: OrderLineRow,
    ExportKind.PAYMENTS: PaymentRow,
    ExportKind.REFUNDS: RefundRow,
    ExportKind.CANCELLATIONS: CancellationRow,
    ExportKind.STOCK_LEDGER: StockRow,
    ExportKind.AUDIT: AuditRow,
}
