"""Customer accounts, their one-time sign-in codes and their loyalty ledger.

Revision ID: 0024_customer_accounts
Revises: 0023_checkout
Create Date: 2026-12-03 14:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0024_customer_accounts"
down_revision: str | None = "0023_checkout"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("name", sa.String(100), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("locale", sa.String(16), nullable=True),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_customers"),
        sa.UniqueConstraint("email", name="uq_customers_email"),
        sa.UniqueConstraint("phone", name="uq_customers_phone"),
    )
    op.create_table(
        "sign_in_codes",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("destination", sa.String(330), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("expires_at", DateTimeUTC(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used_at", DateTimeUTC(), nullable=True),
        sa.Column("locale", sa.String(16), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_sign_in_codes"),
    )
    op.create_index("ix_sign_in_codes_destination", "sign_in_codes", ["destination"])
    op.create_table(
        "loyalty_entries",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", GUID(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("customer_id", GUID(), nullable=False),
        sa.Column("order_id", GUID(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("at", DateTimeUTC(), nullable=False),
        sa.Column("refund_id", GUID(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name="fk_loyalty_entries_customer_id_customers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name="pk_loyalty_entries"),
        sa.UniqueConstraint("key", name="uq_loyalty_entries_key"),
    )
    op.create_index("ix_loyalty_entries_customer_id_at", "loyalty_entries", ["customer_id", "at"])
    op.create_index("ix_loyalty_entries_order_id", "loyalty_entries", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_loyalty_entries_order_id", table_name="loyalty_entries")
    op.drop_index("ix_loyalty_entries_customer_id_at", table_name="loyalty_entries")
    op.drop_table("loyalty_entries")
    op.drop_index("ix_sign_in_codes_destination", table_name="sign_in_codes")
    op.drop_table("sign_in_codes")
    op.drop_table("customers")
