"""Customer checkout: a tax rate per location, an order's money (subtotal, discount, tax,
total), and the stock an unpaid order holds.

Orders already placed keep their totals: their subtotal is their total, untaxed, and
those awaiting payment hold no stock (they take it when paid, as before).

Revision ID: 0023_checkout
Revises: 0022_webhooks
Create Date: 2026-12-03 14:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_checkout"
down_revision: str | None = "0022_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HELD = "stock_held AND state = 'awaiting_payment'"


def upgrade() -> None:
    with op.batch_alter_table("locations") as batch:
        batch.add_column(
            sa.Column("tax_rate_bp", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch.add_column(
            sa.Column("tax_inclusive", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("subtotal_cents", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("discount_cents", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch.add_column(
            sa.Column("tax_cents", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch.add_column(
            sa.Column("tax_rate_bp", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch.add_column(
            sa.Column("tax_inclusive", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(
            sa.Column("stock_held", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(sa.text("UPDATE orders SET subtotal_cents = total_cents"))
    with op.batch_alter_table("orders") as batch:
        batch.alter_column("subtotal_cents", existing_type=sa.Integer(), nullable=False)
    op.create_index(
        "ix_orders_held_created_at",
        "orders",
        ["created_at"],
        postgresql_where=sa.text(_HELD),
        sqlite_where=sa.text(_HELD),
    )


def downgrade() -> None:
    op.drop_index("ix_orders_held_created_at", table_name="orders")
    with op.batch_alter_table("orders") as batch:
        for column in (
            "stock_held", "tax_inclusive", "tax_rate_bp", "tax_cents", "discount_cents",
            "subtotal_cents",
        ):  # fmt: skip
            batch.drop_column(column)
    with op.batch_alter_table("locations") as batch:
        batch.drop_column("tax_inclusive")
        batch.drop_column("tax_rate_bp")
