"""Orders' tracking links (only the token's hash) and customers' reviews.

Revision ID: 0025_tracking_reviews
Revises: 0024_customer_accounts
Create Date: 2026-12-03 14:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0025_tracking_reviews"
down_revision: str | None = "0024_customer_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "order_tracking",
        sa.Column("order_id", GUID(), nullable=False),
        sa.Column("id", GUID(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("contact", sa.String(255), nullable=True),
        sa.Column("channel", sa.String(8), nullable=True),
        sa.Column("locale", sa.String(16), nullable=True),
        sa.Column("notify", sa.Boolean(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("told_ready_at", DateTimeUTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name="fk_order_tracking_order_id_orders",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("order_id", name="pk_order_tracking"),
        sa.UniqueConstraint("id", name="uq_order_tracking_id"),
        sa.UniqueConstraint("token_hash", name="uq_order_tracking_token_hash"),
    )
    op.create_table(
        "reviews",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("order_id", GUID(), nullable=False),
        sa.Column("truck_id", GUID(), nullable=False),
        sa.Column("author_kind", sa.String(16), nullable=False),
        sa.Column("author_id", GUID(), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(1000), nullable=True),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("updated_at", DateTimeUTC(), nullable=False),
        sa.Column("hidden_at", DateTimeUTC(), nullable=True),
        sa.Column("hidden_by_kind", sa.String(16), nullable=True),
        sa.Column("hidden_by_id", GUID(), nullable=True),
        sa.Column("hidden_reason", sa.String(500), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name="fk_reviews_order_id_orders", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["truck_id"], ["trucks.id"], name="fk_reviews_truck_id_trucks", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
        sa.UniqueConstraint("order_id", name="uq_reviews_order_id"),
    )
    op.create_index("ix_reviews_truck_id_created_at", "reviews", ["truck_id", "created_at"])
    op.create_table(
        "review_items",
        sa.Column("review_id", GUID(), nullable=False),
        sa.Column("item_id", GUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name="fk_review_items_review_id_reviews",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("review_id", "item_id", name="pk_review_items"),
    )


def downgrade() -> None:
    op.drop_table("review_items")
    op.drop_index("ix_reviews_truck_id_created_at", table_name="reviews")
    op.drop_table("reviews")
    op.drop_table("order_tracking")
