"""Stock per shift: the current level per item, and the ledger of every movement."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase


class ShiftStockRow(SqlBase):
    """On hand per item and shift: always the sum of that item's ledger rows.

    Writes change it with guarded ``UPDATE … WHERE on_hand >= :q`` statements; the
    check constraint is the last line of defence, never the mechanism.
    """

    __tablename__ = "shift_stock"
    __table_args__ = (CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),)

    shift_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("shifts.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("menu_items.id"), primary_key=True, index=True
    )
    on_hand: Mapped[int] = mapped_column(Integer())


class StockMovementRow(SqlBase):
    __tablename__ = "stock_movements"
    # Serves ``movements``: one shift's ledger, oldest first.
    __table_args__ = (
        Index("ix_stock_movements_shift_id_at", "shift_id", "at", "id"),
        # Exports read the fleet's ledger by time, in batches.
        Index("ix_stock_movements_at_id", "at", "id"),
    )

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    shift_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("shifts.id", ondelete="CASCADE"))
    item_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("menu_items.id"), index=True)
    delta: Mapped[int] = mapped_column(Integer())
    on_hand_after: Mapped[int] = mapped_column(Integer())
    reason: Mapped[str] = mapped_column(String(16))
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[UUID] = mapped_column(GUID())
    at: Mapped[datetime] = mapped_column(DateTimeUTC())
    # No foreign key: a sale is taken before its order is written, in one transaction.
    order_id: Mapped[UUID | None] = mapped_column(GUID())
    note: Mapped[str | None] = mapped_column(String(500))
