"""Outbound webhooks: partners' endpoints, and the deliveries of shift events to them.

Revision ID: 0022_webhooks
Revises: 0021_weekly_summaries
Create Date: 2026-12-03 14:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0022_webhooks"
down_revision: str | None = "0021_weekly_summaries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_PENDING = sa.text("state = 'pending'")


def upgrade() -> None:
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("event_types", _JSON, nullable=False),
        sa.Column("description", sa.String(200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("secret", sa.String(100), nullable=True),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("created_by_kind", sa.String(16), nullable=False),
        sa.Column("created_by_id", GUID(), nullable=False),
        sa.Column("updated_at", DateTimeUTC(), nullable=False),
        sa.Column("removed_at", DateTimeUTC(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_endpoints"),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("endpoint_id", GUID(), nullable=False),
        sa.Column("shift_id", GUID(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("occurred_at", DateTimeUTC(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("next_attempt_at", DateTimeUTC(), nullable=False),
        sa.Column("give_up_at", DateTimeUTC(), nullable=False),
        sa.Column("last_attempt_at", DateTimeUTC(), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("delivered_at", DateTimeUTC(), nullable=True),
        sa.Column("claim_token", GUID(), nullable=True),
        sa.Column("claimed_until", DateTimeUTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoints.id"],
            name="fk_webhook_deliveries_endpoint_id_webhook_endpoints",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.id"],
            name="fk_webhook_deliveries_shift_id_shifts",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_deliveries"),
        sa.UniqueConstraint(
            "endpoint_id", "shift_id", "seq", name="uq_webhook_deliveries_endpoint_id_shift_id_seq"
        ),
    )
    op.create_index(
        "ix_webhook_deliveries_due",
        "webhook_deliveries",
        ["next_attempt_at"],
        postgresql_where=_PENDING,
        sqlite_where=_PENDING,
    )
    op.create_index(
        "ix_webhook_deliveries_endpoint_id_created_at",
        "webhook_deliveries",
        ["endpoint_id", "created_at"],
    )
    op.create_index("ix_webhook_deliveries_shift_id", "webhook_deliveries", ["shift_id"])


def downgrade() -> None:
    for index in ("due", "endpoint_id_created_at", "shift_id"):
        op.drop_index(f"ix_webhook_deliveries_{index}", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_endpoints")
