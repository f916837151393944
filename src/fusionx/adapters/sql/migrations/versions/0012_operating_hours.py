"""Operating hours: each truck's own and each location's, stored whole as JSON.

Revision ID: 0012_operating_hours
Revises: 0011_fleet_event_streams
Create Date: 2026-12-03 10:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012_operating_hours"
down_revision: str | None = "0011_fleet_event_streams"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _hours("truck", "trucks")
    _hours("location", "locations")


def downgrade() -> None:
    op.drop_table("location_hours")
    op.drop_table("truck_hours")


def _hours(owner: str, table: str) -> None:
    op.create_table(
        f"{owner}_hours",
        sa.Column(f"{owner}_id", GUID(), nullable=False),
        sa.Column(
            "hours", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            [f"{owner}_id"],
            [f"{table}.id"],
            name=f"fk_{owner}_hours_{owner}_id_{table}",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(f"{owner}_id", name=f"pk_{owner}_hours"),
    )
