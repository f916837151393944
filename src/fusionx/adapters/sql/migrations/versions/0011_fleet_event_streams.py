"""Typed events, and event streams beyond a shift.

The shift log's events whose data is one domain object now carry it under a field of
their own (``shift.opened`` under ``shift``, ``order.cancelled`` under
``cancellation``, ``order.refunded`` under ``refund``), as their typed Structs do: the
rows written before are wrapped in place. The fleet's privileged changes get their own
log, ``fleet_events``, numbered per stream (``fleet``, ``truck:<id>``) by
``event_streams``.

Revision ID: 0011_fleet_event_streams
Revises: 0010_wide_payment_amounts
Create Date: 2026-12-03 12:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011_fleet_event_streams"
down_revision: str | None = "0010_wide_payment_amounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Event type -> the field its domain object now sits under.
_WRAPPED = {"shift.opened": "shift", "order.cancelled": "cancellation", "order.refunded": "refund"}
# Each only touches rows not yet (or no longer) wrapped: running twice changes nothing.
_PG_WRAP = (
    "UPDATE shift_events SET data = jsonb_build_object(CAST(:field AS text), data) "
    "WHERE type = :kind AND NOT jsonb_exists(data, :field)"
)
_SQLITE_WRAP = (
    "UPDATE shift_events SET data = json_object(:field, json(data)) "
    "WHERE type = :kind AND json_extract(data, '$.' || :field) IS NULL"
)
_PG_UNWRAP = (
    "UPDATE shift_events SET data = data -> CAST(:field AS text) "
    "WHERE type = :kind AND jsonb_exists(data, :field)"
)
_SQLITE_UNWRAP = (
    "UPDATE shift_events SET data = json_extract(data, '$.' || :field) "
    "WHERE type = :kind AND json_extract(data, '$.' || :field) IS NOT NULL"
)


def upgrade() -> None:
    wrap = _PG_WRAP if op.get_bind().dialect.name == "postgresql" else _SQLITE_WRAP
    for kind, field in _WRAPPED.items():
        op.execute(sa.text(wrap).bindparams(kind=kind, field=field))
    op.create_table(
        "event_streams",
        sa.Column("stream", sa.String(64), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("stream", name="pk_event_streams"),
    )
    op.create_table(
        "fleet_events",
        sa.Column("stream", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("at", DateTimeUTC(), nullable=False),
        sa.Column("actor_kind", sa.String(16), nullable=True),
        sa.Column("actor_id", GUID(), nullable=True),
        sa.Column("data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("stream", "seq", name="pk_fleet_events"),
    )
    op.create_index("ix_fleet_events_stream_at", "fleet_events", ["stream", "at"])


def downgrade() -> None:
    op.drop_index("ix_fleet_events_stream_at", table_name="fleet_events")
    op.drop_table("fleet_events")
    op.drop_table("event_streams")
    unwrap = _PG_UNWRAP if op.get_bind().dialect.name == "postgresql" else _SQLITE_UNWRAP
    for kind, field in _WRAPPED.items():
        op.execute(sa.text(unwrap).bindparams(kind=kind, field=field))
