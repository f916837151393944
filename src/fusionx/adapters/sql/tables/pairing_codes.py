"""Device pairing codes: the SHA-256 of the code, never the code."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase


class PairingCodeRow(SqlBase):
    __tablename__ = "pairing_codes"
    __table_args__ = (
        # Serves consume: a code is found by its hash alone.
        Index("ix_pairing_codes_code_hash", "code_hash"),
    )

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    truck_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("trucks.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(100))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[UUID] = mapped_column(GUID())
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
