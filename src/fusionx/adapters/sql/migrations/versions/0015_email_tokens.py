"""Single-use email tokens: password reset, invitation, email change.

Only the SHA-256 of each token's secret is kept. A staff account deleted takes its
tokens with it.

Revision ID: 0015_email_tokens
Revises: 0014_session_details
Create Date: 2026-12-03 10:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0015_email_tokens"
down_revision: str | None = "0014_session_details"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "email_tokens",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("staff_id", GUID(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("expires_at", DateTimeUTC(), nullable=False),
        sa.Column("used_at", DateTimeUTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name="fk_email_tokens_staff_id_staff", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_email_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_email_tokens_token_hash"),
    )
    op.create_index("ix_email_tokens_staff_id_purpose", "email_tokens", ["staff_id", "purpose"])


def downgrade() -> None:
    op.drop_index("ix_email_tokens_staff_id_purpose", table_name="email_tokens")
    op.drop_table("email_tokens")
