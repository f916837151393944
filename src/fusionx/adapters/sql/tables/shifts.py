"""Shifts, their history, and the counters that number their orders and events."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import GUID, BigIntIdentity, DateTimeUTC
from sqlalchemy import ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase

# At most one shift per truck is not closed. A partial unique index rather than a check
# in code, so two check-ins racing cannot both win; both databases support it.
NOT_CLOSED = text("state <> 'closed'")


class ShiftRow(SqlBase):
    __tablename__ = "shifts"
    __table_args__ = (
        Index(
            "uq_shifts_open_truck_id",
            "truck_id",
            unique=True,
            postgresql_where=NOT_CLOSED,
            sqlite_where=NOT_CLOSED,
        ),
        # The history's keyset, newest first: the fleet's, and one truck's.
        Index("ix_shifts_opened_at_id", "opened_at", "id"),
        Index("ix_shifts_truck_id_opened_at", "truck_id", "opened_at"),
    )

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    truck_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("trucks.id"))
    location_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("locations.id"), index=True)
    state: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    opened_by_kind: Mapped[str] = mapped_column(String(16))
    opened_by_id: Mapped[UUID] = mapped_column(GUID())
    closed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
    # Counters taken with UPDATE … RETURNING: the row lock makes them gapless and
    # ordered under concurrency, and a rollback gives the number back.
    last_seq: Mapped[int] = mapped_column(Integer(), server_default=text("0"))
    last_order_number: Mapped[int] = mapped_column(Integer(), server_default=text("0"))


class ShiftTransitionRow(SqlBase):
    """``ShiftTransition``: one row per check-in, pause, resume and checkout."""

    __tablename__ = "shift_transitions"
    # Serves ``history``: one shift's rows in insertion order.
    __table_args__ = (Index("ix_shift_transitions_shift_id_id", "shift_id", "id"),)

    id: Mapped[int] = mapped_column(BigIntIdentity, primary_key=True, autoincrement=True)
    shift_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("shifts.id", ondelete="CASCADE"))
    source: Mapped[str | None] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTimeUTC())
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[UUID] = mapped_column(GUID())
    reason: Mapped[str | None] = mapped_column(String(500))
