"""The books: indexes for the history lists (keysets by time and id), the managers'
order search (trigram indexes, PostgreSQL only) and the exports' batched reads.

Revision ID: 0020_history_indexes
Revises: 0019_order_customers
Create Date: 2026-12-03 14:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0020_history_indexes"
down_revision: str | None = "0019_order_customers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = (
    ("ix_orders_created_at_id", "orders", ["created_at", "id"]),
    ("ix_shifts_opened_at_id", "shifts", ["opened_at", "id"]),
    ("ix_shifts_truck_id_opened_at", "shifts", ["truck_id", "opened_at"]),
    ("ix_order_cancellations_at_order_id", "order_cancellations", ["at", "order_id"]),
    ("ix_refunds_at_id", "refunds", ["at", "id"]),
    ("ix_stock_movements_at_id", "stock_movements", ["at", "id"]),
    ("ix_received_payments_received_at_id", "received_payments", ["received_at", "id"]),
)
_TRIGRAMS = (
    ("ix_orders_customer_name_trgm", "customer_name"),
    ("ix_orders_customer_phone_trgm", "customer_phone"),
)


def upgrade() -> None:
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns)
    if op.get_bind().dialect.name == "postgresql":
        # pg_trgm ships with PostgreSQL and is trusted: the database's owner may add it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, column in _TRIGRAMS:
            op.create_index(
                name,
                "orders",
                [column],
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, _ in _TRIGRAMS:
            op.drop_index(name, table_name="orders")
    for name, table, _ in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
