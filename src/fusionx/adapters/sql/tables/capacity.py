"""Capacity limits: a shift's own, and each truck's defaults."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase

# The limits as msgspec encodes ``CapacityLimits``: read and written whole, never queried.
_LIMITS = JSON().with_variant(JSONB(), "postgresql")


class ShiftCapacityRow(SqlBase):
    __tablename__ = "shift_capacity"

    shift_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("shifts.id", ondelete="CASCADE"), primary_key=True
    )
    limits: Mapped[dict[str, Any]] = mapped_column(_LIMITS)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    updated_by_kind: Mapped[str] = mapped_column(String(16))
    updated_by_id: Mapped[UUID] = mapped_column(GUID())


class TruckCapacityRow(SqlBase):
    __tablename__ = "truck_capacity"

    truck_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("trucks.id", ondelete="CASCADE"), primary_key=True
    )
    limits: Mapped[dict[str, Any]] = mapped_column(_LIMITS)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    updated_by_kind: Mapped[str] = mapped_column(String(16))
    updated_by_id: Mapped[UUID] = mapped_column(GUID())
