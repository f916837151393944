"""The analytics rollup (each closed shift's figures by local hour) and the throttle's
refusal counts.

Revision ID: 0026_analytics_rollup
Revises: 0025_tracking_reviews
Create Date: 2026-12-03 16:30:00+00:00

The tables start empty: the ``roll-up-analytics`` job fills them for closed shifts, and
until it has, queries read those shifts from their base rows (docs/analytics.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0026_analytics_rollup"
down_revision: str | None = "0025_tracking_reviews"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

def _columns(table: str) -> tuple[list[sa.Column[object]], list[str]]:
    """A rollup table's columns after ``shift_id``, and its primary key's."""
    day = lambda: sa.Column("day", sa.Date(), nullable=False)  # noqa: E731
    hour = lambda: sa.Column("hour", sa.SmallInteger(), nullable=False)  # noqa: E731
    week = lambda: sa.Column("week", sa.Date(), nullable=False)  # noqa: E731
    truck = lambda: sa.Column("truck_id", GUID(), nullable=False)  # noqa: E731
    count = lambda name: sa.Column(name, sa.Integer(), nullable=False)  # noqa: E731
    cents = lambda name: sa.Column(name, sa.BigInteger(), nullable=False)  # noqa: E731
    if table == "analytics_hours":
        return [
            day(),
            hour(),
            week(),
            truck(),
            count("orders"),
            cents("gross_cents"),
            count("cancelled_orders"),
            cents("cancelled_cents"),
            count("refunded_orders"),
            cents("refunded_cents"),
            count("sold_outs"),
            cents("sold_out_seconds"),
            count("throttle_refusals"),
        ], ["day", "hour"]
    if table == "analytics_hour_durations":
        return [
            day(),
            hour(),
            sa.Column("bin", sa.SmallInteger(), nullable=False),
            truck(),
            count("prep"),
            count("wait"),
        ], ["day", "hour", "bin"]
    if table == "analytics_day_durations":
        return [
            day(),
            sa.Column("bin", sa.SmallInteger(), nullable=False),
            week(),
            truck(),
            count("prep"),
            count("wait"),
        ], ["day", "bin"]
    if table == "analytics_reasons":
        return [
            day(),
            hour(),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("reason", sa.String(32), nullable=False),
            week(),
            truck(),
            count("orders"),
            cents("cents"),
        ], ["day", "hour", "kind", "reason"]
    assert table == "analytics_items"
    return [
        day(),
        sa.Column("item_id", GUID(), nullable=False),
        truck(),
        sa.Column("name", sa.String(200), nullable=False),
        count("quantity"),
        cents("sales_cents"),
    ], ["day", "item_id"]

ROLLUPS = (
    "analytics_hours",
    "analytics_hour_durations",
    "analytics_day_durations",
    "analytics_reasons",
    "analytics_items",
)

def _shift_table(table: str, *columns: sa.Column[object], key: list[str]) -> None:
    op.create_table(
        table,
        sa.Column("shift_id", GUID(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.id"], name=f"fk_{table}_shift_id_shifts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("shift_id", *key, name=f"pk_{table}"),
    )

def upgrade() -> None:
    _shift_table(
        "analytics_shifts",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("rolled_at", DateTimeUTC(), nullable=False),
        key=[],
    )
    for table in ROLLUPS:
        columns, key = _columns(table)
        _shift_table(table, *columns, key=key)
        op.create_index(f"ix_{table}_day", table, ["day"])
        op.create_index(f"ix_{table}_truck_id_day", table, ["truck_id", "day"])
    _shift_table(
        "throttle_refusals",
        sa.Column("quarter", DateTimeUTC(), nullable=False),
        sa.Column("refusals", sa.Integer(), nullable=False),
        key=["quarter"],
    )

def downgrade() -> None:
    op.drop_table("throttle_refusals")
    for table in reversed(ROLLUPS):
        op.drop_index(f"ix_{table}_truck_id_day", table_name=table)
        op.drop_index(f"ix_{table}_day", table_name=table)
        op.drop_table(table)
    op.drop_table("analytics_shifts")
