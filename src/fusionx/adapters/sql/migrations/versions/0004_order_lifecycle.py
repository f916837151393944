"""Order lifecycle: hold and fire, customer contact, cancellations, refunds, idempotency keys.

Revision ID: 0004_order_lifecycle
Revises: 0003_menu_payments
Create Date: 2026-12-01 19:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004_order_lifecycle"
down_revision: str | None = "0003_menu_payments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HAS_FIRE_TIME = sa.text("fire_at IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("tickets") as tickets:
        tickets.add_column(sa.Column("held_from", sa.String(16), nullable=True))
        tickets.add_column(sa.Column("fire_at", DateTimeUTC(), nullable=True))
    # The fire sweep: held tickets by fire time, across every shift.
    op.create_index(
        "ix_tickets_fire_at",
        "tickets",
        ["fire_at"],
        postgresql_where=_HAS_FIRE_TIME,
        sqlite_where=_HAS_FIRE_TIME,
    )
    with op.batch_alter_table("orders") as orders:
        orders.add_column(sa.Column("customer_phone", sa.String(40), nullable=True))
        orders.add_column(sa.Column("customer_email", sa.String(320), nullable=True))
    _cancellations()
    _refunds()
    _idempotency_keys()


def downgrade() -> None:
    op.drop_index("ix_idempotency_keys_expires_at", table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
    op.drop_table("refund_lines")
    op.drop_index("ix_refunds_shift_id_at", table_name="refunds")
    op.drop_index("ix_refunds_order_id", table_name="refunds")
    op.drop_table("refunds")
    op.drop_index("ix_order_cancellations_shift_id_at", table_name="order_cancellations")
    op.drop_table("order_cancellations")
    with op.batch_alter_table("orders") as orders:
        orders.drop_column("customer_email")
        orders.drop_column("customer_phone")
    op.drop_index("ix_tickets_fire_at", table_name="tickets")
    with op.batch_alter_table("tickets") as tickets:
        tickets.drop_column("fire_at")
        tickets.drop_column("held_from")


def _actor(prefix: str) -> list[sa.Column[object]]:
    return [
        sa.Column(f"{prefix}_kind", sa.String(16), nullable=False),
        sa.Column(f"{prefix}_id", GUID(), nullable=False),
    ]


def _cancellations() -> None:
    op.create_table(
        "order_cancellations",
        sa.Column("order_id", GUID(), nullable=False),
        sa.Column("ticket_id", GUID(), nullable=False),
        sa.Column("shift_id", GUID(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("from_state", sa.String(16), nullable=False),
        sa.Column("stock_returned", sa.Boolean(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        *_actor("actor"),
        sa.Column("at", DateTimeUTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name="fk_order_cancellations_order_id_orders",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name="fk_order_cancellations_ticket_id_tickets",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.id"],
            name="fk_order_cancellations_shift_id_shifts",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("order_id", name="pk_order_cancellations"),
    )
    op.create_index("ix_order_cancellations_shift_id_at", "order_cancellations", ["shift_id", "at"])


def _refunds() -> None:
    op.create_table(
        "refunds",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("order_id", GUID(), nullable=False),
        sa.Column("shift_id", GUID(), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        *_actor("actor"),
        sa.Column("at", DateTimeUTC(), nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name="fk_refunds_order_id_orders", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.id"], name="fk_refunds_shift_id_shifts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_refunds"),
    )
    op.create_index("ix_refunds_order_id", "refunds", ["order_id"])
    op.create_index("ix_refunds_shift_id_at", "refunds", ["shift_id", "at"])
    op.create_table(
        "refund_lines",
        sa.Column("refund_id", GUID(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["refund_id"],
            ["refunds.id"],
            name="fk_refund_lines_refund_id_refunds",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("refund_id", "line", name="pk_refund_lines"),
    )


def _idempotency_keys() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("caller", sa.String(64), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("expires_at", DateTimeUTC(), nullable=False),
        sa.Column("lease_until", DateTimeUTC(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column(
            "headers", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True
        ),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("caller", "key", name="pk_idempotency_keys"),
    )
    op.create_index("ix_idempotency_keys_expires_at", "idempotency_keys", ["expires_at"])
