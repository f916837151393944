"""The event logs: each shift's, numbered by ``shifts.last_seq``, and the fleet's
streams, numbered by ``event_streams``. A number is never reused once committed."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase


class ShiftEventRow(SqlBase):
    __tablename__ = "shift_events"

    # The primary key is also the index ``since`` reads: one shift, in seq order.
    shift_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("shifts.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(DateTimeUTC())
    # JSONB on PostgreSQL, JSON text on SQLite. Not advanced-alchemy's JsonB: its Oracle
    # variant breaks on SQLAlchemy 2.1.
    data: Mapped[dict[str, Any]] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))


class EventStreamRow(SqlBase):
    """One row per fleet event stream (``fleet``, ``truck:<id>``): its counter, taken
    with an upsert … RETURNING, whose row lock orders and numbers the stream's writers."""

    __tablename__ = "event_streams"

    stream: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer())


class FleetEventRow(SqlBase):
    """Privileged changes outside any shift, numbered per stream; ``actor_kind`` and
    ``actor_id`` are NULL when the system made the change. Append-only: triggers refuse
    UPDATE and DELETE (``append_only``), and each row chains to the one before."""

    __tablename__ = "fleet_events"
    __table_args__ = (
        Index("ix_fleet_events_stream_at", "stream", "at"),
        # The audit trail's reads: newest first, by actor, by subject.
        Index("ix_fleet_events_at", "at"),
        Index("ix_fleet_events_actor", "actor_id", "at"),
        Index("ix_fleet_events_subject", "subject_type", "subject_id"),
    )

    stream: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(DateTimeUTC())
    actor_kind: Mapped[str | None] = mapped_column(String(16))
    actor_id: Mapped[UUID | None] = mapped_column(GUID())
    data: Mapped[dict[str, Any]] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    # Where the change came from; NULL when unknown (the command line, rows before 0013).
    address: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(128))
    # What it is about (``subject_of``), for the audit trail's filters.
    subject_type: Mapped[str] = mapped_column(String(40), server_default="")
    subject_id: Mapped[str | None] = mapped_column(String(64))
    # The chain: this row's hash covers its content and its predecessor's hash.
    prev_hash: Mapped[str] = mapped_column(String(64), server_default="")
    hash: Mapped[str] = mapped_column(String(64), server_default="")
