"""Weekly summaries sent: the durable record that sends each recipient one email a week.

Revision ID: 0021_weekly_summaries
Revises: 0020_history_indexes
Create Date: 2026-12-03 13:00:00+00:00

The job queue's own tables (procrastinate's, PostgreSQL only) are not made here: the
library owns and migrates them (``adapters/jobs/schema.py``, run by ``fusionx db
upgrade``), and an embedded SQLite database has no queue.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0021_weekly_summaries"
down_revision: str | None = "0020_history_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "weekly_summaries_sent",
        sa.Column("staff_id", GUID(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("sent_at", DateTimeUTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name="fk_weekly_summaries_sent_staff_id_staff",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("staff_id", "week", name="pk_weekly_summaries_sent"),
    )


def downgrade() -> None:
    op.drop_table("weekly_summaries_sent")
