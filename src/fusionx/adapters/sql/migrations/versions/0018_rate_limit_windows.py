"""Rate-limit windows: per-client hit counts for the public routes, shared by every worker
and instance when no Redis is configured.

Revision ID: 0018_rate_limit_windows
Revises: 0017_refund_outcomes
Create Date: 2026-12-03 11:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0018_rate_limit_windows"
down_revision: str | None = "0017_refund_outcomes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_windows",
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("ends_at", DateTimeUTC(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_rate_limit_windows"),
    )
    op.create_index("ix_rate_limit_windows_ends_at", "rate_limit_windows", ["ends_at"])


def downgrade() -> None:
    op.drop_index("ix_rate_limit_windows_ends_at", table_name="rate_limit_windows")
    op.drop_table("rate_limit_windows")
