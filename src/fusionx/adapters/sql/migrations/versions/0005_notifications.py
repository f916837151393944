"""The notification outbox and its attempts, push tokens, notification preferences,
the SMS blocklist and low-stock thresholds.

Revision ID: 0005_notifications
Revises: 0004_order_lifecycle
Create Date: 2026-12-01 19:30:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_notifications"
down_revision: str | None = "0004_order_lifecycle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_PENDING = sa.text("state = 'pending'")


def upgrade() -> None:
    _outbox()
    _recipients()
    _thresholds()


def downgrade() -> None:
    op.drop_table("shift_stock_thresholds")
    op.drop_table("item_stock_thresholds")
    op.drop_table("sms_blocked_numbers")
    op.drop_table("notification_preferences")
    op.drop_table("push_tokens")
    op.drop_index("ix_notification_attempts_notification_id", table_name="notification_attempts")
    op.drop_table("notification_attempts")
    for index in ("due", "truck_id_created_at", "address_sent_at", "provider_ref", "shift_id"):
        op.drop_index(f"ix_notifications_{index}", table_name="notifications")
    op.drop_table("notifications")


def _outbox() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("truck_id", GUID(), nullable=False),
        sa.Column("shift_id", GUID(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("recipient_kind", sa.String(16), nullable=False),
        sa.Column("recipient_id", GUID(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.String(1000), nullable=False),
        sa.Column("data", _JSON, nullable=False),
        sa.Column("collapse_key", sa.String(64), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("next_attempt_at", DateTimeUTC(), nullable=False),
        sa.Column("sent_at", DateTimeUTC(), nullable=True),
        sa.Column("address", sa.String(255), nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("provider_ref", sa.String(100), nullable=True),
        sa.Column("delivery_status", sa.String(32), nullable=True),
        sa.Column("claim_token", GUID(), nullable=True),
        sa.Column("claimed_until", DateTimeUTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["truck_id"], ["trucks.id"], name="fk_notifications_truck_id_trucks", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.id"], name="fk_notifications_shift_id_shifts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
    )
    op.create_index(
        "ix_notifications_due",
        "notifications",
        ["next_attempt_at"],
        postgresql_where=_PENDING,
        sqlite_where=_PENDING,
    )
    op.create_index(
        "ix_notifications_truck_id_created_at", "notifications", ["truck_id", "created_at", "id"]
    )
    op.create_index("ix_notifications_address_sent_at", "notifications", ["address", "sent_at"])
    op.create_index("ix_notifications_provider_ref", "notifications", ["provider_ref"])
    op.create_index("ix_notifications_shift_id", "notifications", ["shift_id"])
    op.create_table(
        "notification_attempts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("notification_id", GUID(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("at", DateTimeUTC(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.String(500), nullable=False),
        sa.Column("address", sa.String(255), nullable=True),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name="fk_notification_attempts_notification_id_notifications",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notification_attempts"),
    )
    op.create_index(
        "ix_notification_attempts_notification_id", "notification_attempts", ["notification_id"]
    )


def _recipients() -> None:
    op.create_table(
        "push_tokens",
        sa.Column("owner_kind", sa.String(16), nullable=False),
        sa.Column("owner_id", GUID(), nullable=False),
        sa.Column("token", sa.String(200), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("app_version", sa.String(50), nullable=False),
        sa.Column("os_version", sa.String(50), nullable=False),
        sa.Column("registered_at", DateTimeUTC(), nullable=False),
        sa.Column("disabled_at", DateTimeUTC(), nullable=True),
        sa.Column("disabled_reason", sa.String(200), nullable=True),
        sa.Column("invalid_since", DateTimeUTC(), nullable=True),
        sa.PrimaryKeyConstraint("owner_kind", "owner_id", name="pk_push_tokens"),
    )
    op.create_table(
        "notification_preferences",
        sa.Column("staff_id", GUID(), nullable=False),
        sa.Column("channels", _JSON, nullable=False),
        sa.Column("quiet_hours", _JSON, nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name="fk_notification_preferences_staff_id_staff",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("staff_id", name="pk_notification_preferences"),
    )
    op.create_table(
        "sms_blocked_numbers",
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("blocked_at", DateTimeUTC(), nullable=False),
        sa.PrimaryKeyConstraint("phone", name="pk_sms_blocked_numbers"),
    )


def _thresholds() -> None:
    op.create_table(
        "item_stock_thresholds",
        sa.Column("item_id", GUID(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["menu_items.id"],
            name="fk_item_stock_thresholds_item_id_menu_items",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", name="pk_item_stock_thresholds"),
    )
    op.create_table(
        "shift_stock_thresholds",
        sa.Column("shift_id", GUID(), nullable=False),
        sa.Column("item_id", GUID(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.id"],
            name="fk_shift_stock_thresholds_shift_id_shifts",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["menu_items.id"],
            name="fk_shift_stock_thresholds_item_id_menu_items",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("shift_id", "item_id", name="pk_shift_stock_thresholds"),
    )
