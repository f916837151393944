"""The analytics rollup by local day, and covering indexes for the day sums.

Revision ID: 0028_analytics_days
Revises: 0027_pairing_codes
Create Date: 2026-12-03 17:45:00+00:00

Days and weeks summed the hour rows (about 11 a shift); ``analytics_days`` holds one row
a shift and local day, written by the roll-up job with the hour rows. The upgrade fills
it from the hour rows already there, so no shift is read from its base rows again.
On PostgreSQL, the ``(day)`` indexes of the day tables include what the sums read.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

revision: str = "0028_analytics_days"
down_revision: str | None = "0027_pairing_codes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FIGURES = (
    "orders",
    "gross_cents",
    "cancelled_orders",
    "cancelled_cents",
    "refunded_orders",
    "refunded_cents",
    "sold_outs",
    "sold_out_seconds",
    "throttle_refusals",
)
_CENTS = frozenset({"gross_cents", "cancelled_cents", "refunded_cents", "sold_out_seconds"})
_DAY_COLUMNS = ["shift_id", "week", *_FIGURES]
_DURATION_COLUMNS = ["shift_id", "week", "bin", "prep", "wait"]


def upgrade() -> None:
    op.create_table(
        "analytics_days",
        sa.Column("shift_id", GUID(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("truck_id", GUID(), nullable=False),
        *(
            sa.Column(name, sa.BigInteger() if name in _CENTS else sa.Integer(), nullable=False)
            for name in _FIGURES
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.id"],
            name="fk_analytics_days_shift_id_shifts",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("shift_id", "day", name="pk_analytics_days"),
    )
    sums = ", ".join(f"SUM({name})" for name in _FIGURES)
    op.execute(
        f"INSERT INTO analytics_days (shift_id, day, week, truck_id, {', '.join(_FIGURES)}) "  # noqa: S608 - constant names
        f"SELECT shift_id, day, week, truck_id, {sums} "
        "FROM analytics_hours GROUP BY shift_id, day, week, truck_id"
    )
    op.create_index(
        "ix_analytics_days_day", "analytics_days", ["day"], postgresql_include=_DAY_COLUMNS
    )
    op.create_index("ix_analytics_days_truck_id_day", "analytics_days", ["truck_id", "day"])
    op.drop_index("ix_analytics_day_durations_day", table_name="analytics_day_durations")
    op.create_index(
        "ix_analytics_day_durations_day",
        "analytics_day_durations",
        ["day"],
        postgresql_include=_DURATION_COLUMNS,
    )


def downgrade() -> None:
    op.drop_index("ix_analytics_day_durations_day", table_name="analytics_day_durations")
    op.create_index("ix_analytics_day_durations_day", "analytics_day_durations", ["day"])
    op.drop_index("ix_analytics_days_truck_id_day", table_name="analytics_days")
    op.drop_index("ix_analytics_days_day", table_name="analytics_days")
    op.drop_table("analytics_days")
