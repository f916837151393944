"""The audit trail of cancelled orders and of refunds, with each refund's lines."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase


class OrderCancellationRow(SqlBase):
    """``Cancellation``: at most one per order, as a ticket is cancelled once."""

    __tablename__ = "order_cancellations"
    # Serves for_shift: one shift's cancellations, oldest first.
    __table_args__ = (
        Index("ix_order_cancellations_shift_id_at", "shift_id", "at"),
        # Exports read the fleet's cancellations by time, in batches.
        Index("ix_order_cancellations_at_order_id", "at", "order_id"),
    )

    order_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True
    )
    ticket_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("tickets.id", ondelete="CASCADE"))
    shift_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("shifts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer())
    reason: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(500))
    from_state: Mapped[str] = mapped_column(String(16))
    stock_returned: Mapped[bool] = mapped_column(Boolean())
    amount_cents: Mapped[int] = mapped_column(Integer())
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[UUID] = mapped_column(GUID())
    at: Mapped[datetime] = mapped_column(DateTimeUTC())


class RefundRow(SqlBase):
    __tablename__ = "refunds"
    __table_args__ = (
        Index("ix_refunds_shift_id_at", "shift_id", "at"),
        # Exports read the fleet's refunds by time, in batches.
        Index("ix_refunds_at_id", "at", "id"),
    )

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    order_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    shift_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("shifts.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(500))
    amount_cents: Mapped[int] = mapped_column(Integer())
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[UUID] = mapped_column(GUID())
    at: Mapped[datetime] = mapped_column(DateTimeUTC())
    # The gateway's id once it accepted the refund; none while pending, failed, or
    # handed back at the truck.
    reference: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), server_default="succeeded")
    failure: Mapped[str | None] = mapped_column(String(500))


class RefundLineRow(SqlBase):
    """Units of one order line a refund gave back; ``line`` is the line's position."""

    __tablename__ = "refund_lines"

    refund_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("refunds.id", ondelete="CASCADE"), primary_key=True
    )
    line: Mapped[int] = mapped_column(Integer(), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer())
    amount_cents: Mapped[int] = mapped_column(Integer())
