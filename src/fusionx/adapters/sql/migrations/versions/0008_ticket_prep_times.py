"""Each ticket keeps its first move to in prep and its last move to ready, so the kitchen
load reads a shift's latest preps from an index instead of aggregating its history.

Revision ID: 0008_ticket_prep_times
Revises: 0007_menu_catalogue
Create Date: 2026-12-01 23:50:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0008_ticket_prep_times"
down_revision: str | None = "0007_menu_catalogue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tickets moved before this revision take their times from their history: the same
# answer ``ticket_times()`` gives. Correlated subqueries, which both databases run.
_BACKFILL = sa.text("""
UPDATE tickets SET
    prep_at = (
        SELECT min(m.at) FROM ticket_transitions m
        WHERE m.ticket_id = tickets.id AND m.target = 'in_prep'
    ),
    ready_at = (
        SELECT max(m.at) FROM ticket_transitions m
        WHERE m.ticket_id = tickets.id AND m.target = 'ready'
    )
WHERE EXISTS (SELECT 1 FROM ticket_transitions m WHERE m.ticket_id = tickets.id)
""")


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("prep_at", DateTimeUTC(), nullable=True))
        batch.add_column(sa.Column("ready_at", DateTimeUTC(), nullable=True))
    op.execute(_BACKFILL)
    op.create_index("ix_tickets_shift_id_ready_at", "tickets", ["shift_id", "ready_at"])


def downgrade() -> None:
    op.drop_index("ix_tickets_shift_id_ready_at", table_name="tickets")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("ready_at")
        batch.drop_column("prep_at")
