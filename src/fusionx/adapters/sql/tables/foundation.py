"""The tables of the foundation: trucks, locations, staff, devices, tokens, login failures."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import GUID, BigIntIdentity, DateTimeUTC
from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase


class TruckRow(SqlBase):
    __tablename__ = "trucks"

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean())
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())


class LocationRow(SqlBase):
    __tablename__ = "locations"

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(500))
    latitude: Mapped[float | None] = mapped_column(Float())
    longitude: Mapped[float | None] = mapped_column(Float())
    active: Mapped[bool] = mapped_column(Boolean())
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    # Basis points of sales tax, and whether menu prices include it.
    tax_rate_bp: Mapped[int] = mapped_column(Integer(), server_default=text("0"))
    tax_inclusive: Mapped[bool] = mapped_column(Boolean(), server_default=false())


class StaffRow(SqlBase):
    __tablename__ = "staff"

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    # normalize_email(email), computed in Python so every backend folds case the same way
    # (SQLite's lower() folds ASCII only). Uniqueness holds on this column.
    email_key: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean())
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    locale: Mapped[str | None] = mapped_column(String(16))


class StaffTruckRow(SqlBase):
    """Which trucks a staff member works on: ``StaffMember.truck_ids``."""

    __tablename__ = "staff_trucks"

    staff_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    truck_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("trucks.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class DeviceRow(SqlBase):
    __tablename__ = "devices"
    # Serves list_for_truck: filter on the truck, already in page order.
    __table_args__ = (Index("ix_devices_truck_id_created_at", "truck_id", "created_at", "id"),)

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    truck_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("trucks.id"))
    label: Mapped[str] = mapped_column(String(100))
    platform: Mapped[str] = mapped_column(String(16))
    app_version: Mapped[str] = mapped_column(String(50))
    os_version: Mapped[str] = mapped_column(String(50))
    registered_by: Mapped[UUID] = mapped_column(GUID())
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
    # From the latest heartbeat.
    last_event_seq: Mapped[int | None] = mapped_column(Integer())
    battery_percent: Mapped[int | None] = mapped_column(Integer())
    queue_depth: Mapped[int | None] = mapped_column(Integer())
    # Set once when the device is found stale, cleared by its next heartbeat.
    stale_since: Mapped[datetime | None] = mapped_column(DateTimeUTC())


class AccessTokenRow(SqlBase):
    __tablename__ = "access_tokens"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    # A staff member's or a device's id, so no foreign key: it points at either table.
    subject_id: Mapped[UUID] = mapped_column(GUID(), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    expires_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
    # A staff session's: where it signed in from, and when it was last used (recorded
    # at most every few minutes, never on every request).
    user_agent: Mapped[str | None] = mapped_column(String(255))
    client_address: Mapped[str | None] = mapped_column(String(64))
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())


class LoginFailureRow(SqlBase):
    __tablename__ = "login_failures"
    # Serves ``since``: one key's failures in time order.
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(BigIntIdentity, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(320))
    at: Mapped[datetime] = mapped_column(DateTimeUTC())


class EmailTokenRow(SqlBase):
    """Single-use email tokens (password reset, invitation, email change): the SHA-256
    of each secret, never the secret."""

    __tablename__ = "email_tokens"
    __table_args__ = (
        UniqueConstraint("token_hash"),
        # Serves discard_for: one account's live tokens of one purpose.
        Index("ix_email_tokens_staff_id_purpose", "staff_id", "purpose"),
    )

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(32))
    staff_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("staff.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
