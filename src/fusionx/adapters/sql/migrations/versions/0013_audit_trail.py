"""The audit trail: where each fleet event came from, what it is about, a hash chain,
and triggers that refuse to change or remove a record.

Rows logged before get their subject from their data, no origin (it was not kept), and
their chain, computed here in each stream's order, before the triggers exist.

Revision ID: 0013_audit_trail
Revises: 0012_operating_hours
Create Date: 2026-12-03 13:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

from fusionx.adapters.sql import append_only
from fusionx.core.model.audit import GENESIS, chain_fields, record_hash
from fusionx.core.model.fleet_events import FleetEventType, fleet_data_type, subject_of

revision: str = "0013_audit_trail"
down_revision: str | None = "0012_operating_hours"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ROWS = sa.table(
    "fleet_events",
    sa.column("stream", sa.String()),
    sa.column("seq", sa.Integer()),
    sa.column("type", sa.String()),
    sa.column("at", DateTimeUTC()),
    sa.column("actor_kind", sa.String()),
    sa.column("actor_id", GUID()),
    sa.column("data", sa.JSON()),
    sa.column("subject_type", sa.String()),
    sa.column("subject_id", sa.String()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("fleet_events") as table:
        table.add_column(sa.Column("address", sa.String(64), nullable=True))
        table.add_column(sa.Column("request_id", sa.String(128), nullable=True))
        table.add_column(
            sa.Column("subject_type", sa.String(40), server_default="", nullable=False)
        )
        table.add_column(sa.Column("subject_id", sa.String(64), nullable=True))
        table.add_column(sa.Column("prev_hash", sa.String(64), server_default="", nullable=False))
        table.add_column(sa.Column("hash", sa.String(64), server_default="", nullable=False))
    op.create_index("ix_fleet_events_at", "fleet_events", ["at"])
    op.create_index("ix_fleet_events_actor", "fleet_events", ["actor_id", "at"])
    op.create_index("ix_fleet_events_subject", "fleet_events", ["subject_type", "subject_id"])
    _chain_existing_rows()
    for statement in append_only.create_statements(op.get_bind().dialect.name):
        op.execute(statement)


def _chain_existing_rows() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _ROWS.c.stream,
            _ROWS.c.seq,
            _ROWS.c.type,
            _ROWS.c.at,
            _ROWS.c.actor_kind,
            _ROWS.c.actor_id,
            _ROWS.c.data,
        ).order_by(_ROWS.c.stream, _ROWS.c.seq)
    ).all()
    stream, prev = None, GENESIS
    for key, seq, kind, at, actor_kind, actor_id, data in rows:
        if key != stream:
            stream, prev = key, GENESIS
        subject = subject_of(msgspec.convert(data, fleet_data_type(FleetEventType(kind))))
        fields = chain_fields(
            stream=key,
            seq=seq,
            type=kind,
            at=at,
            actor_kind=actor_kind,
            actor_id=actor_id,
            address=None,
            request_id=None,
            data=data,
            prev_hash=prev,
        )
        digest = record_hash(fields)
        bind.execute(
            _ROWS.update()
            .where(_ROWS.c.stream == key, _ROWS.c.seq == seq)
            .values(subject_type=subject.type, subject_id=subject.id, prev_hash=prev, hash=digest)
        )
        prev = digest


def downgrade() -> None:
    for statement in append_only.drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index("ix_fleet_events_subject", table_name="fleet_events")
    op.drop_index("ix_fleet_events_actor", table_name="fleet_events")
    op.drop_index("ix_fleet_events_at", table_name="fleet_events")
    with op.batch_alter_table("fleet_events") as table:
        for column in ("hash", "prev_hash", "subject_id", "subject_type", "request_id", "address"):
            table.drop_column(column)
