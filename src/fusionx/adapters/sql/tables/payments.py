"""Payment gateway events acted on: one row per gateway event id, so replays do nothing."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import BigInteger, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase


class ReceivedPaymentRow(SqlBase):
    __tablename__ = "received_payments"
    # The idempotency guard: a second delivery of an event cannot be recorded twice.
    __table_args__ = (
        UniqueConstraint("event_id", name="uq_received_payments_event_id"),
        # Exports read the payments by time, in batches.
        Index("ix_received_payments_received_at_id", "received_at", "id"),
    )

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    # No foreign key: a notification may name an order we do not know, and is kept anyway.
    order_id: Mapped[UUID] = mapped_column(GUID(), index=True)
    # As the gateway reported it, which may be any 64-bit amount (never the order's own).
    amount_cents: Mapped[int] = mapped_column(BigInteger())
    outcome: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    # The gateway's id of the payment, when the notification gave it: refunds name it.
    payment_reference: Mapped[str | None] = mapped_column(String(255))
