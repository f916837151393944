"""Webhook endpoints (with their signing secrets) and the deliveries queued for them."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase


class WebhookEndpointRow(SqlBase):
    __tablename__ = "webhook_endpoints"

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[list[str]] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    description: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean())
    # Kept to sign with (an HMAC needs the secret itself, not a hash of it); read by
    # the sender only, never by what lists or shows endpoints.
    secret: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    created_by_kind: Mapped[str] = mapped_column(String(16))
    created_by_id: Mapped[UUID] = mapped_column(GUID())
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    # Set when removed: the row stays as a tombstone, without its secret or deliveries.
    removed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())


class WebhookDeliveryRow(SqlBase):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # One delivery per endpoint and event; also serves the claim's "no earlier
        # pending delivery on this line" test.
        UniqueConstraint(
            "endpoint_id", "shift_id", "seq", name="uq_webhook_deliveries_endpoint_id_shift_id_seq"
        ),
        # Serves claim: the due pending ones, in due order; the others leave the index.
        Index(
            "ix_webhook_deliveries_due",
            "next_attempt_at",
            postgresql_where=text("state = 'pending'"),
            sqlite_where=text("state = 'pending'"),
        ),
        Index("ix_webhook_deliveries_endpoint_id_created_at", "endpoint_id", "created_at"),
        Index("ix_webhook_deliveries_shift_id", "shift_id"),
    )

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    endpoint_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    shift_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("shifts.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer())
    event_type: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer())
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    next_attempt_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    give_up_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
    last_status: Mapped[int | None] = mapped_column(Integer())
    last_error: Mapped[str | None] = mapped_column(String(500))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
    # Who holds it, until when: a sender's lease, retaken once it runs out.
    claim_token: Mapped[UUID | None] = mapped_column(GUID())
    claimed_until: Mapped[datetime | None] = mapped_column(DateTimeUTC())
