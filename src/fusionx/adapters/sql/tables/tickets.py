"""Kitchen display tickets and the history of their moves."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import GUID, BigIntIdentity, DateTimeUTC
from sqlalchemy import ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase

# Only held tickets have a fire time: the sweep's index holds nothing else.
HAS_FIRE_TIME = text("fire_at IS NOT NULL")


class TicketRow(SqlBase):
    __tablename__ = "tickets"
    # Serves the kitchen feed and open_for_shift: one shift's tickets in some states,
    # already in display order.
    __table_args__ = (
        Index("ix_tickets_shift_id_state_created_at", "shift_id", "state", "created_at"),
        # Serves due_to_fire: held tickets by fire time, across every shift.
        Index(
            "ix_tickets_fire_at",
            "fire_at",
            postgresql_where=HAS_FIRE_TIME,
            sqlite_where=HAS_FIRE_TIME,
        ),
        # Serves the kitchen load: one shift's latest preps, newest ready first.
        Index("ix_tickets_shift_id_ready_at", "shift_id", "ready_at"),
    )

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    order_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("orders.id"), index=True)
    shift_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("shifts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer())
    state: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer())
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    # Set while the ticket is on HOLD: where it resumes to, and when it fires by itself.
    held_from: Mapped[str | None] = mapped_column(String(16))
    fire_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
    # Kept by every move: the first move to IN_PREP and the last to READY (a recall back
    # to READY sets it again), what the kitchen load times its recent preps by.
    prep_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
    ready_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())


class TicketTransitionRow(SqlBase):
    __tablename__ = "ticket_transitions"
    # Serves ``history``: one ticket's rows in insertion order.
    __table_args__ = (Index("ix_ticket_transitions_ticket_id_id", "ticket_id", "id"),)

    id: Mapped[int] = mapped_column(BigIntIdentity, primary_key=True, autoincrement=True)
    ticket_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("tickets.id", ondelete="CASCADE"))
    source: Mapped[str | None] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer())
    at: Mapped[datetime] = mapped_column(DateTimeUTC())
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[UUID] = mapped_column(GUID())
    reason: Mapped[str | None] = mapped_column(String(500))
