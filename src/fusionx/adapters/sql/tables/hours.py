"""Operating hours: each truck's own, and each location's."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID
from sqlalchemy import JSON, ForeignKey
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase

# The hours as msgspec encodes ``OperatingHours``: read and written whole, never queried.
_HOURS = JSON().with_variant(JSONB(), "postgresql")


class TruckHoursRow(SqlBase):
    __tablename__ = "truck_hours"

    truck_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("trucks.id", ondelete="CASCADE"), primary_key=True
    )
    hours: Mapped[dict[str, Any]] = mapped_column(_HOURS)


class LocationHoursRow(SqlBase):
    __tablename__ = "location_hours"

    location_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True
    )
    hours: Mapped[dict[str, Any]] = mapped_column(_HOURS)
