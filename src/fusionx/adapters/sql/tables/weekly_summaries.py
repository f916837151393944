"""The weekly summary emails sent: one row per recipient and week, never two."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase


class WeeklySummarySentRow(SqlBase):
    """Inserted in the transaction that sends the email: the primary key is the claim
    that makes a second scheduler, or a retry after a crash, skip a sent summary."""

    __tablename__ = "weekly_summaries_sent"

    staff_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    # The Monday the summarized week starts on, in the recipient's time zone.
    week: Mapped[date] = mapped_column(Date(), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(DateTimeUTC())
