"""A payment gateway's amount is kept as it reported it, up to 64 bits: a notification
whose amount did not fit 32 was never recorded, and its gateway retried it forever.

Revision ID: 0010_wide_payment_amounts
Revises: 0009_truck_opening_stock
Create Date: 2026-12-03 09:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_wide_payment_amounts"
down_revision: str | None = "0009_truck_opening_stock"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("received_payments") as batch:
        batch.alter_column(
            "amount_cents", existing_type=sa.Integer(), type_=sa.BigInteger(), nullable=False
        )


def downgrade() -> None:
    # Amounts past 32 bits cannot go back: they are kept at the largest the column holds.
    op.execute(
        sa.text(
            "UPDATE received_payments SET amount_cents = 2147483647 WHERE amount_cents > 2147483647"
        )
    )
    with op.batch_alter_table("received_payments") as batch:
        batch.alter_column(
            "amount_cents", existing_type=sa.BigInteger(), type_=sa.Integer(), nullable=False
        )
