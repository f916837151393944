"""Orders know the customer account that placed them, so a customer reads their own.

Revision ID: 0019_order_customers
Revises: 0018_rate_limit_windows
Create Date: 2026-12-03 13:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

revision: str = "0019_order_customers"
down_revision: str | None = "0018_rate_limit_windows"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("customer_id", GUID(), nullable=True))
    op.create_index("ix_orders_customer_id_created_at", "orders", ["customer_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_orders_customer_id_created_at", table_name="orders")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("customer_id")
