"""Orders' tracking links, and reviews with the items each one rates."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase


class OrderTrackingRow(SqlBase):
    """``OrderTracking``: one per order; the token only as its SHA-256 (unique)."""

    __tablename__ = "order_tracking"

    order_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[UUID] = mapped_column(GUID(), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    contact: Mapped[str | None] = mapped_column(String(255))
    channel: Mapped[str | None] = mapped_column(String(8))
    locale: Mapped[str | None] = mapped_column(String(16))
    notify: Mapped[bool] = mapped_column(Boolean())
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    told_ready_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())


class ReviewRow(SqlBase):
    """``Review``: at most one per order (unique ``order_id``)."""

    __tablename__ = "reviews"
    # Serves list_for_truck (newest first) and ratings (a truck's reviews).
    __table_args__ = (Index("ix_reviews_truck_id_created_at", "truck_id", "created_at"),)

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    order_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("orders.id", ondelete="CASCADE"), unique=True
    )
    truck_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("trucks.id", ondelete="CASCADE"))
    author_kind: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[UUID] = mapped_column(GUID())
    stars: Mapped[int] = mapped_column(Integer())
    comment: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    hidden_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
    hidden_by_kind: Mapped[str | None] = mapped_column(String(16))
    hidden_by_id: Mapped[UUID | None] = mapped_column(GUID())
    hidden_reason: Mapped[str | None] = mapped_column(String(500))


class ReviewItemRow(SqlBase):
    """The items a review rates (its order's): what per-item ratings group by."""

    __tablename__ = "review_items"

    review_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
