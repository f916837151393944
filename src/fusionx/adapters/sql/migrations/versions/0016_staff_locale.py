"""A staff member's language: ``staff.locale``.

The locale (``en``, ``es``, ``fr``…) their problems, alerts and emails are written in;
NULL for none chosen (their client's ``Accept-Language``, else English).

Revision ID: 0016_staff_locale
Revises: 0015_email_tokens
Create Date: 2026-12-03 10:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_staff_locale"
down_revision: str | None = "0015_email_tokens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("staff", sa.Column("locale", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("locale")
