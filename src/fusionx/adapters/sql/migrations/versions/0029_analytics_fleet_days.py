"""The whole fleet's prep and wait histograms, reasons and item sales by local day.

Revision ID: 0029_analytics_fleet_days
Revises: 0028_analytics_days
Create Date: 2026-12-03 20:30:00+00:00

Fleet-wide days and weeks summed the rows of every truck (35 histogram, 5 reason and 40
item rows a shift: most of a second over a year of 50 trucks). These tables hold their sums
per local day, recomputed by the roll-up job with them; the upgrade fills them from the
day rows already there, so nothing is rolled up again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

revision: str = "0029_analytics_fleet_days"
down_revision: str | None = "0028_analytics_days"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analytics_fleet_day_durations",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("bin", sa.SmallInteger(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("prep", sa.Integer(), nullable=False),
        sa.Column("wait", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "bin", name="pk_analytics_fleet_day_durations"),
    )
    op.create_table(
        "analytics_fleet_day_reasons",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "kind", "reason", name="pk_analytics_fleet_day_reasons"),
    )
    op.create_table(
        "analytics_fleet_day_items",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("item_id", GUID(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("sales_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "item_id", name="pk_analytics_fleet_day_items"),
    )
    op.execute(
        "INSERT INTO analytics_fleet_day_durations (day, bin, week, prep, wait) "
        "SELECT day, bin, MIN(week), SUM(prep), SUM(wait) "
        "FROM analytics_day_durations GROUP BY day, bin"
    )
    op.execute(
        "INSERT INTO analytics_fleet_day_reasons (day, kind, reason, week, orders, cents) "
        "SELECT day, kind, reason, MIN(week), SUM(orders), SUM(cents) "
        "FROM analytics_reasons GROUP BY day, kind, reason"
    )
    op.execute(
        "INSERT INTO analytics_fleet_day_items (day, item_id, name, quantity, sales_cents) "
        "SELECT day, item_id, MAX(name), SUM(quantity), SUM(sales_cents) "
        "FROM analytics_items GROUP BY day, item_id"
    )


def downgrade() -> None:
    op.drop_table("analytics_fleet_day_items")
    op.drop_table("analytics_fleet_day_reasons")
    op.drop_table("analytics_fleet_day_durations")
