"""Idempotency keys: the first response to each (caller, key), replayed to retries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, Integer, LargeBinary, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase


class IdempotencyKeyRow(SqlBase):
    """``status`` is None while the first request runs; ``lease_until`` bounds that run,
    so a request whose worker died does not block its retries for a day."""

    __tablename__ = "idempotency_keys"

    caller: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(), index=True)
    lease_until: Mapped[datetime] = mapped_column(DateTimeUTC())
    status: Mapped[int | None] = mapped_column(Integer())
    headers: Mapped[list[Any] | None] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    body: Mapped[bytes | None] = mapped_column(LargeBinary())
