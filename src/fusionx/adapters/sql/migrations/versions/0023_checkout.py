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
    # Plain ADD COLUMNs, never a batch's table copy: on SQLite a copy drops and recreates
    # the table, which its foreign keys refuse once other rows point at it.
    op.add_column(
        "locations",
        sa.Column("tax_rate_bp", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )
    op.add_column(
        "locations",
        sa.Column("tax_inclusive", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    for column in (
        # What an order placed before taxes cost is its total: set just below.
        sa.Column("subtotal_cents", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("discount_cents", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("tax_cents", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("tax_rate_bp", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("tax_inclusive", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("stock_held", sa.Boolean(), server_default=sa.false(), nullable=False),
    ):
        op.add_column("orders", column)
    op.execute(sa.text("UPDATE orders SET subtotal_cents = total_cents"))
    op.create_index(
        "ix_orders_held_created_at",
        "orders",
        ["created_at"],
        postgresql_where=sa.text(_HELD),
        sqlite_where=sa.text(_HELD),
    )


def downgrade() -> None:
    op.drop_index("ix_orders_held_created_at", table_name="orders")
    # Plain DROP COLUMNs (SQLite 3.35 and later), for the reason ``upgrade`` gives.
    for table, column in (
        ("orders", "stock_held"),
        ("orders", "tax_inclusive"),
        ("orders", "tax_rate_bp"),
        ("orders", "tax_cents"),
        ("orders", "discount_cents"),
        ("orders", "subtotal_cents"),
        ("locations", "tax_inclusive"),
        ("locations", "tax_rate_bp"),
    ):
        op.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {column}"))
