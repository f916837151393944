"""Orders paid online: an order state, and the payment gateway events acted on.

Revision ID: 0003_menu_payments
Revises: 0002_shifts_orders_tickets
Create Date: 2026-12-01 19:30:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0003_menu_payments"
down_revision: str | None = "0002_shifts_orders_tickets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        # Every order before this revision was taken at the window: placed.
        batch.add_column(
            sa.Column("state", sa.String(20), server_default=sa.text("'placed'"), nullable=False)
        )
    op.create_table(
        "received_payments",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("order_id", GUID(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("received_at", DateTimeUTC(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_received_payments"),
        sa.UniqueConstraint("event_id", name="uq_received_payments_event_id"),
    )
    op.create_index("ix_received_payments_order_id", "received_payments", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_received_payments_order_id", table_name="received_payments")
    op.drop_table("received_payments")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("state")
