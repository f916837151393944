"""The notification outbox and its attempts, push tokens, preferences, the SMS
blocklist and low-stock thresholds."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID, BigIntIdentity, DateTimeUTC
from sqlalchemy import JSON, ForeignKey, Index, Integer, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase

_JSON = JSON().with_variant(JSONB(), "postgresql")


class NotificationRow(SqlBase):
    __tablename__ = "notifications"
    __table_args__ = (
        # Serves claim: the due pending ones, in due order; sent ones leave the index.
        Index(
            "ix_notifications_due",
            "next_attempt_at",
            postgresql_where=text("state = 'pending'"),
            sqlite_where=text("state = 'pending'"),
        ),
        Index("ix_notifications_truck_id_created_at", "truck_id", "created_at", "id"),
        Index("ix_notifications_address_sent_at", "address", "sent_at"),
        Index("ix_notifications_provider_ref", "provider_ref"),
    )

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    truck_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("trucks.id", ondelete="CASCADE"))
    shift_id: Mapped[UUID | None] = mapped_column(
        GUID(), ForeignKey("shifts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(8))
    recipient_kind: Mapped[str] = mapped_column(String(16))
    recipient_id: Mapped[UUID] = mapped_column(GUID())
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(1000))
    data: Mapped[dict[str, Any]] = mapped_column(_JSON)
    collapse_key: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer())
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    next_attempt_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    sent_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
    address: Mapped[str | None] = mapped_column(String(255))
    last_error: Mapped[str | None] = mapped_column(String(500))
    provider_ref: Mapped[str | None] = mapped_column(String(100))
    delivery_status: Mapped[str | None] = mapped_column(String(32))
    # Who holds it, until when: a dispatcher's lease, retaken once it runs out.
    claim_token: Mapped[UUID | None] = mapped_column(GUID())
    claimed_until: Mapped[datetime | None] = mapped_column(DateTimeUTC())


class NotificationAttemptRow(SqlBase):
    __tablename__ = "notification_attempts"

    id: Mapped[int] = mapped_column(BigIntIdentity, primary_key=True, autoincrement=True)
    notification_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("notifications.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer())
    at: Mapped[datetime] = mapped_column(DateTimeUTC())
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(500))
    address: Mapped[str | None] = mapped_column(String(255))


class PushTokenRow(SqlBase):
    __tablename__ = "push_tokens"

    owner_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    owner_id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    token: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(16))
    app_version: Mapped[str] = mapped_column(String(50))
    os_version: Mapped[str] = mapped_column(String(50))
    registered_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    disabled_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    invalid_since: Mapped[datetime | None] = mapped_column(DateTimeUTC())


class NotificationPreferenceRow(SqlBase):
    __tablename__ = "notification_preferences"

    staff_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    # {alert kind: channel choice} and {start, end, timezone} or null.
    channels: Mapped[dict[str, Any]] = mapped_column(_JSON)
    quiet_hours: Mapped[dict[str, Any] | None] = mapped_column(_JSON)


class SmsBlockedNumberRow(SqlBase):
    __tablename__ = "sms_blocked_numbers"

    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    reason: Mapped[str] = mapped_column(String(200))
    blocked_at: Mapped[datetime] = mapped_column(DateTimeUTC())


class ItemStockThresholdRow(SqlBase):
    """A menu item's default low-stock threshold."""

    __tablename__ = "item_stock_thresholds"

    item_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("menu_items.id", ondelete="CASCADE"), primary_key=True
    )
    threshold: Mapped[int] = mapped_column(Integer())


class ShiftStockThresholdRow(SqlBase):
    """A shift's own low-stock threshold for an item, over the item's default."""

    __tablename__ = "shift_stock_thresholds"

    shift_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("shifts.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("menu_items.id", ondelete="CASCADE"), primary_key=True
    )
    threshold: Mapped[int] = mapped_column(Integer())
