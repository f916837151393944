"""Operations: capacity limits, pickup slots and promised times on orders, device heartbeats.

Revision ID: 0006_operations
Revises: 0005_notifications
Create Date: 2026-12-01 19:30:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_operations"
down_revision: str | None = "0005_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DEVICE_COLUMNS = ("last_event_seq", "battery_percent", "queue_depth")


def upgrade() -> None:
    _capacity("shift", "shifts")
    _capacity("truck", "trucks")
    # Plain ALTER TABLE, also on SQLite (3.35+ drops columns): a batch copy of a table
    # that others reference would cascade their rows away.
    op.add_column("orders", sa.Column("pickup_at", DateTimeUTC(), nullable=True))
    op.add_column("orders", sa.Column("promised_ready_at", DateTimeUTC(), nullable=True))
    op.create_index("ix_orders_shift_id_created_at", "orders", ["shift_id", "created_at"])
    op.create_index("ix_orders_shift_id_pickup_at", "orders", ["shift_id", "pickup_at"])
    for name in _DEVICE_COLUMNS:
        op.add_column("devices", sa.Column(name, sa.Integer(), nullable=True))
    op.add_column("devices", sa.Column("stale_since", DateTimeUTC(), nullable=True))


def downgrade() -> None:
    op.drop_column("devices", "stale_since")
    for name in reversed(_DEVICE_COLUMNS):
        op.drop_column("devices", name)
    op.drop_index("ix_orders_shift_id_pickup_at", table_name="orders")
    op.drop_index("ix_orders_shift_id_created_at", table_name="orders")
    op.drop_column("orders", "promised_ready_at")
    op.drop_column("orders", "pickup_at")
    op.drop_table("truck_capacity")
    op.drop_table("shift_capacity")


def _capacity(owner: str, table: str) -> None:
    op.create_table(
        f"{owner}_capacity",
        sa.Column(f"{owner}_id", GUID(), nullable=False),
        sa.Column(
            "limits", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("updated_at", DateTimeUTC(), nullable=False),
        sa.Column("updated_by_kind", sa.String(16), nullable=False),
        sa.Column("updated_by_id", GUID(), nullable=False),
        sa.ForeignKeyConstraint(
            [f"{owner}_id"],
            [f"{table}.id"],
            name=f"fk_{owner}_capacity_{owner}_id_{table}",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(f"{owner}_id", name=f"pk_{owner}_capacity"),
    )
