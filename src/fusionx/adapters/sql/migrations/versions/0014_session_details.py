"""Sessions say where they were opened and when they were last used: a staff member lists
their sessions by device and address, and ends the ones they do not know.

Revision ID: 0014_session_details
Revises: 0013_audit_trail
Create Date: 2026-12-03 10:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0014_session_details"
down_revision: str | None = "0013_audit_trail"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("access_tokens") as batch:
        batch.add_column(sa.Column("user_agent", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("client_address", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("last_seen_at", DateTimeUTC(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("access_tokens") as batch:
        batch.drop_column("last_seen_at")
        batch.drop_column("client_address")
        batch.drop_column("user_agent")
