"""Refunds go out through the payment gateway: each has a status (pending until the
gateway answers, then succeeded or failed) and the gateway's reason for a refusal; the
gateway's reference exists only once it accepted. Refunds recorded before were all given.
A received payment keeps the gateway's id of the payment, which its refunds name.

Revision ID: 0017_refund_outcomes
Revises: 0016_staff_locale
Create Date: 2026-12-03 10:30:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_refund_outcomes"
down_revision: str | None = "0016_staff_locale"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("refunds") as batch:
        batch.add_column(
            sa.Column("status", sa.String(16), server_default="succeeded", nullable=False)
        )
        batch.add_column(sa.Column("failure", sa.String(500), nullable=True))
        batch.alter_column("reference", existing_type=sa.String(200), nullable=True)
    with op.batch_alter_table("received_payments") as batch:
        batch.add_column(sa.Column("payment_reference", sa.String(255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("received_payments") as batch:
        batch.drop_column("payment_reference")
    # Before statuses, a refund was recorded only once given: the others cannot stay.
    op.execute(sa.text("DELETE FROM refunds WHERE status <> 'succeeded'"))
    op.execute(sa.text("UPDATE refunds SET reference = '' WHERE reference IS NULL"))
    with op.batch_alter_table("refunds") as batch:
        batch.alter_column("reference", existing_type=sa.String(200), nullable=False)
        batch.drop_column("failure")
        batch.drop_column("status")
