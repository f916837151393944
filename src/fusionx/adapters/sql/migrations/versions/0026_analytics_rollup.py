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
from typing import Any

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0026_analytics_rollup"
down_revision: str | None = "0025_tracking_reviews"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


ROLLUPS = (
    "analytics_hours",
    "analytics_hour_durations",
    "analytics_day_durations",
    "analytics_reasons",
    "analytics_items",
)


def _shift_table(table: str, *columns: sa.Column[Any], key: tuple[str, ...]) -> None:
    op.create_table(
        table,
        sa.Column("shift_id", GUID(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.id"], name=f"fk_{table}_shift_id_shifts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("shift_id", *key, name=f"pk_{table}"),
    )


def _day() -> sa.Column[Any]:
    return sa.Column("day", sa.Date(), nullable=False)


def _hour() -> sa.Column[Any]:
    return sa.Column("hour", sa.SmallInteger(), nullable=False)


def _week() -> sa.Column[Any]:
    return sa.Column("week", sa.Date(), nullable=False)


def _truck() -> sa.Column[Any]:
    return sa.Column("truck_id", GUID(), nullable=False)


def _bin() -> sa.Column[Any]:
    return sa.Column("bin", sa.SmallInteger(), nullable=False)


def _count(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.Integer(), nullable=False)


def _cents(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.BigInteger(), nullable=False)


def upgrade() -> None:
    _shift_table(
        "analytics_shifts",
        _count("seq"),
        sa.Column("rolled_at", DateTimeUTC(), nullable=False),
        key=(),
    )
    _shift_table(
        "analytics_hours",
        _day(),
        _hour(),
        _week(),
        _truck(),
        _count("orders"),
        _cents("gross_cents"),
        _count("cancelled_orders"),
        _cents("cancelled_cents"),
        _count("refunded_orders"),
        _cents("refunded_cents"),
        _count("sold_outs"),
        _cents("sold_out_seconds"),
        _count("throttle_refusals"),
        key=("day", "hour"),
    )
    _shift_table(
        "analytics_hour_durations",
        _day(),
        _hour(),
        _bin(),
        _truck(),
        _count("prep"),
        _count("wait"),
        key=("day", "hour", "bin"),
    )
    _shift_table(
        "analytics_day_durations",
        _day(),
        _bin(),
        _week(),
        _truck(),
        _count("prep"),
        _count("wait"),
        key=("day", "bin"),
    )
    _shift_table(
        "analytics_reasons",
        _day(),
        _hour(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        _week(),
        _truck(),
        _count("orders"),
        _cents("cents"),
        key=("day", "hour", "kind", "reason"),
    )
    _shift_table(
        "analytics_items",
        _day(),
        sa.Column("item_id", GUID(), nullable=False),
        _truck(),
        sa.Column("name", sa.String(200), nullable=False),
        _count("quantity"),
        _cents("sales_cents"),
        key=("day", "item_id"),
    )
    for table in ROLLUPS:
        op.create_index(f"ix_{table}_day", table, ["day"])
        op.create_index(f"ix_{table}_truck_id_day", table, ["truck_id", "day"])
    _shift_table(
        "throttle_refusals",
        sa.Column("quarter", DateTimeUTC(), nullable=False),
        _count("refusals"),
        key=("quarter",),
    )


def downgrade() -> None:
    op.drop_table("throttle_refusals")
    for table in reversed(ROLLUPS):
        op.drop_index(f"ix_{table}_truck_id_day", table_name=table)
        op.drop_index(f"ix_{table}_day", table_name=table)
        op.drop_table(table)
    op.drop_table("analytics_shifts")
