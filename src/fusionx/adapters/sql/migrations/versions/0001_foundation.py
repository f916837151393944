"""Foundation: trucks, locations, staff and their trucks, devices, tokens, login failures.

Revision ID: 0001_foundation
Revises:
Create Date: 2026-01-05 12:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0001_foundation"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trucks",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trucks"),
    )
    op.create_table(
        "locations",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("address", sa.String(500), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_locations"),
    )
    op.create_table(
        "staff",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        # Emails are unique regardless of case and stored as typed; the key is the folded form.
        sa.Column("email_key", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_staff"),
        sa.UniqueConstraint("email_key", name="uq_staff_email_key"),
    )
    op.create_table(
        "staff_trucks",
        sa.Column("staff_id", GUID(), nullable=False),
        sa.Column("truck_id", GUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name="fk_staff_trucks_staff_id_staff", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["truck_id"], ["trucks.id"], name="fk_staff_trucks_truck_id_trucks", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("staff_id", "truck_id", name="pk_staff_trucks"),
    )
    op.create_index("ix_staff_trucks_truck_id", "staff_trucks", ["truck_id"])
    op.create_table(
        "devices",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("truck_id", GUID(), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("app_version", sa.String(50), nullable=False),
        sa.Column("os_version", sa.String(50), nullable=False),
        sa.Column("registered_by", GUID(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("last_seen_at", DateTimeUTC(), nullable=True),
        sa.Column("revoked_at", DateTimeUTC(), nullable=True),
        sa.ForeignKeyConstraint(["truck_id"], ["trucks.id"], name="fk_devices_truck_id_trucks"),
        sa.PrimaryKeyConstraint("id", name="pk_devices"),
    )
    op.create_index("ix_devices_truck_id_created_at", "devices", ["truck_id", "created_at", "id"])
    op.create_table(
        "access_tokens",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject_id", GUID(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("expires_at", DateTimeUTC(), nullable=True),
        sa.Column("revoked_at", DateTimeUTC(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_access_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_access_tokens_token_hash"),
    )
    op.create_index("ix_access_tokens_subject_id", "access_tokens", ["subject_id"])
    op.create_table(
        "login_failures",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("key", sa.String(320), nullable=False),
        sa.Column("at", DateTimeUTC(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_failures"),
    )
    op.create_index("ix_login_failures_key_at", "login_failures", ["key", "at"])


def downgrade() -> None:
    op.drop_index("ix_login_failures_key_at", table_name="login_failures")
    op.drop_table("login_failures")
    op.drop_index("ix_access_tokens_subject_id", table_name="access_tokens")
    op.drop_table("access_tokens")
    op.drop_index("ix_devices_truck_id_created_at", table_name="devices")
    op.drop_table("devices")
    op.drop_index("ix_staff_trucks_truck_id", table_name="staff_trucks")
    op.drop_table("staff_trucks")
    op.drop_table("staff")
    op.drop_table("locations")
    op.drop_table("trucks")
