"""A truck's menu may say how many of an item each of its shifts opens with.

Revision ID: 0009_truck_opening_stock
Revises: 0008_ticket_prep_times
Create Date: 2026-12-03 03:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_truck_opening_stock"
down_revision: str | None = "0008_ticket_prep_times"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("truck_menu_items") as batch:
        batch.add_column(sa.Column("opening_stock", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("truck_menu_items") as batch:
        batch.drop_column("opening_stock")
