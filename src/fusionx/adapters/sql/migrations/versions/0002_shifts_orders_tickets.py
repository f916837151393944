"""Shifts, menu, stock ledger, orders, kitchen tickets and the shift event log.

Revision ID: 0002_shifts_orders_tickets
Revises: 0001_foundation
Create Date: 2026-01-19 12:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_shifts_orders_tickets"
down_revision: str | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_NOT_CLOSED = sa.text("state <> 'closed'")


def upgrade() -> None:
    _shifts()
    _menu()
    _stock()
    _orders()
    _tickets()
    _events()


def downgrade() -> None:
    op.drop_table("shift_events")
    op.drop_index("ix_ticket_transitions_ticket_id_id", table_name="ticket_transitions")
    op.drop_table("ticket_transitions")
    op.drop_index("ix_tickets_shift_id_state_created_at", table_name="tickets")
    op.drop_index("ix_tickets_order_id", table_name="tickets")
    op.drop_table("tickets")
    op.drop_index("ix_order_lines_item_id", table_name="order_lines")
    op.drop_table("order_lines")
    op.drop_table("orders")
    op.drop_index("ix_stock_movements_item_id", table_name="stock_movements")
    op.drop_index("ix_stock_movements_shift_id_at", table_name="stock_movements")
    op.drop_table("stock_movements")
    op.drop_index("ix_shift_stock_item_id", table_name="shift_stock")
    op.drop_table("shift_stock")
    op.drop_index("ix_menu_items_category_id", table_name="menu_items")
    op.drop_table("menu_items")
    op.drop_table("menu_categories")
    op.drop_index("ix_shift_transitions_shift_id_id", table_name="shift_transitions")
    op.drop_table("shift_transitions")
    op.drop_index("uq_shifts_open_truck_id", table_name="shifts")
    op.drop_index("ix_shifts_location_id", table_name="shifts")
    op.drop_table("shifts")


def _actor(prefix: str) -> list[sa.Column[object]]:
    return [
        sa.Column(f"{prefix}_kind", sa.String(16), nullable=False),
        sa.Column(f"{prefix}_id", GUID(), nullable=False),
    ]


def _shifts() -> None:
    op.create_table(
        "shifts",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("truck_id", GUID(), nullable=False),
        sa.Column("location_id", GUID(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("opened_at", DateTimeUTC(), nullable=False),
        *_actor("opened_by"),
        sa.Column("closed_at", DateTimeUTC(), nullable=True),
        # Per-shift counters, taken with UPDATE … RETURNING under the row lock.
        sa.Column("last_seq", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_order_number", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.ForeignKeyConstraint(["truck_id"], ["trucks.id"], name="fk_shifts_truck_id_trucks"),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name="fk_shifts_location_id_locations"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_shifts"),
    )
    op.create_index("ix_shifts_location_id", "shifts", ["location_id"])
    # One shift per truck that is not closed, also when two check-ins race.
    op.create_index(
        "uq_shifts_open_truck_id",
        "shifts",
        ["truck_id"],
        unique=True,
        postgresql_where=_NOT_CLOSED,
        sqlite_where=_NOT_CLOSED,
    )
    op.create_table(
        "shift_transitions",
        sa.Column("id", _BIG_ID, autoincrement=True, nullable=False),
        sa.Column("shift_id", GUID(), nullable=False),
        sa.Column("source", sa.String(16), nullable=True),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("at", DateTimeUTC(), nullable=False),
        *_actor("actor"),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.id"],
            name="fk_shift_transitions_shift_id_shifts",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_shift_transitions"),
    )
    op.create_index("ix_shift_transitions_shift_id_id", "shift_transitions", ["shift_id", "id"])


def _menu() -> None:
    op.create_table(
        "menu_categories",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("display_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_menu_categories"),
    )
    op.create_table(
        "menu_items",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("category_id", GUID(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.String(1000), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("display_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["menu_categories.id"],
            name="fk_menu_items_category_id_menu_categories",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_menu_items"),
    )
    op.create_index("ix_menu_items_category_id", "menu_items", ["category_id"])


def _stock() -> None:
    op.create_table(
        "shift_stock",
        sa.Column("shift_id", GUID(), nullable=False),
        sa.Column("item_id", GUID(), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.CheckConstraint("on_hand >= 0", name=op.f("ck_shift_stock_on_hand_not_negative")),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.id"], name="fk_shift_stock_shift_id_shifts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["menu_items.id"], name="fk_shift_stock_item_id_menu_items"
        ),
        sa.PrimaryKeyConstraint("shift_id", "item_id", name="pk_shift_stock"),
    )
    op.create_index("ix_shift_stock_item_id", "shift_stock", ["item_id"])
    op.create_table(
        "stock_movements",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("shift_id", GUID(), nullable=False),
        sa.Column("item_id", GUID(), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("on_hand_after", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        *_actor("actor"),
        sa.Column("at", DateTimeUTC(), nullable=False),
        # No foreign key: a sale is taken before its order is written.
        sa.Column("order_id", GUID(), nullable=True),
        sa.Column("note", sa.String(500), nullable=True),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.id"],
            name="fk_stock_movements_shift_id_shifts",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["menu_items.id"], name="fk_stock_movements_item_id_menu_items"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_stock_movements"),
    )
    op.create_index("ix_stock_movements_shift_id_at", "stock_movements", ["shift_id", "at", "id"])
    op.create_index("ix_stock_movements_item_id", "stock_movements", ["item_id"])


def _orders() -> None:
    op.create_table(
        "orders",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("shift_id", GUID(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        *_actor("created_by"),
        sa.Column("customer_name", sa.String(100), nullable=True),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.id"], name="fk_orders_shift_id_shifts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_orders"),
        sa.UniqueConstraint("shift_id", "number", name="uq_orders_shift_id_number"),
    )
    op.create_table(
        "order_lines",
        sa.Column("order_id", GUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item_id", GUID(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(500), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name="fk_order_lines_order_id_orders", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["menu_items.id"], name="fk_order_lines_item_id_menu_items"
        ),
        sa.PrimaryKeyConstraint("order_id", "position", name="pk_order_lines"),
    )
    op.create_index("ix_order_lines_item_id", "order_lines", ["item_id"])


def _tickets() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("order_id", GUID(), nullable=False),
        sa.Column("shift_id", GUID(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", DateTimeUTC(), nullable=False),
        sa.Column("updated_at", DateTimeUTC(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name="fk_tickets_order_id_orders"),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.id"], name="fk_tickets_shift_id_shifts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_tickets"),
    )
    op.create_index("ix_tickets_order_id", "tickets", ["order_id"])
    # The kitchen feed: one shift's tickets in some states, in display order.
    op.create_index(
        "ix_tickets_shift_id_state_created_at", "tickets", ["shift_id", "state", "created_at"]
    )
    op.create_table(
        "ticket_transitions",
        sa.Column("id", _BIG_ID, autoincrement=True, nullable=False),
        sa.Column("ticket_id", GUID(), nullable=False),
        sa.Column("source", sa.String(16), nullable=True),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("at", DateTimeUTC(), nullable=False),
        *_actor("actor"),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name="fk_ticket_transitions_ticket_id_tickets",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_ticket_transitions"),
    )
    op.create_index("ix_ticket_transitions_ticket_id_id", "ticket_transitions", ["ticket_id", "id"])


def _events() -> None:
    op.create_table(
        "shift_events",
        sa.Column("shift_id", GUID(), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("at", DateTimeUTC(), nullable=False),
        sa.Column("data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.id"], name="fk_shift_events_shift_id_shifts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("shift_id", "seq", name="pk_shift_events"),
    )
