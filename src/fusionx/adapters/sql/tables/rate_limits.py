"""Rate-limit windows: one row per key, counting its hits until the window ends."""

from __future__ import annotations

from datetime import datetime

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase


class RateLimitWindowRow(SqlBase):
    """A key's current window; a row whose window has ended counts as none (and is
    purged in the background)."""

    __tablename__ = "rate_limit_windows"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer())
    ends_at: Mapped[datetime] = mapped_column(DateTimeUTC(), index=True)
