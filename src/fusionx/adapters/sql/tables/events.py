"""The shift event log: numbered per shift by ``shifts.last_seq``, never reused once
committed."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, ForeignKey, Integer, String
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
