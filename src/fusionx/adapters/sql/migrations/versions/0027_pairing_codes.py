"""Device pairing codes (only the code's hash).

Revision ID: 0027_pairing_codes
Revises: 0026_analytics_rollup
Create Date: 2026-12-03 17:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0027_pairing_codes"
down_revision: str | None = "0026_analytics_rollup"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pairing_codes",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("truck_id", GUID(), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_by", GUID(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("expires_at", DateTimeUTC(), nullable=False),
        sa.Column("used_at", DateTimeUTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["truck_id"],
            ["trucks.id"],
            name="fk_pairing_codes_truck_id_trucks",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_pairing_codes"),
    )
    op.create_index("ix_pairing_codes_code_hash", "pairing_codes", ["code_hash"])


def downgrade() -> None:
    op.drop_index("ix_pairing_codes_code_hash", table_name="pairing_codes")
    op.drop_table("pairing_codes")
