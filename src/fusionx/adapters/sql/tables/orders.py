"""Orders and their lines; a line keeps the item's name and price at order time."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase


class OrderRow(SqlBase):
    __tablename__ = "orders"
    # Numbers come from shifts.last_order_number; this only makes a slip loud.
    __table_args__ = (
        UniqueConstraint("shift_id", "number", name="uq_orders_shift_id_number"),
        # Serve the capacity checks: a throttle window, and the loads of pickup slots.
        Index("ix_orders_shift_id_created_at", "shift_id", "created_at"),
        Index("ix_orders_shift_id_pickup_at", "shift_id", "pickup_at"),
        # A customer's own orders, newest first.
        Index("ix_orders_customer_id_created_at", "customer_id", "created_at"),
        # The history's keyset, newest first, across the fleet.
        Index("ix_orders_created_at_id", "created_at", "id"),
        # The managers' search by any part of a name or phone number (``ILIKE '%…%'``):
        # trigram indexes, PostgreSQL only (SQLite scans a truck's orders, which is fine).
        Index(
            "ix_orders_customer_name_trgm",
            "customer_name",
            postgresql_using="gin",
            postgresql_ops={"customer_name": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_orders_customer_phone_trgm",
            "customer_phone",
            postgresql_using="gin",
            postgresql_ops={"customer_phone": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        # The expiry sweep: unpaid orders still holding stock, oldest first.
        Index(
            "ix_orders_held_created_at",
            "created_at",
            postgresql_where=text("stock_held AND state = 'awaiting_payment'"),
            sqlite_where=text("stock_held AND state = 'awaiting_payment'"),
        ),
    )

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    shift_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("shifts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer())
    channel: Mapped[str] = mapped_column(String(16))
    total_cents: Mapped[int] = mapped_column(Integer())
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    created_by_kind: Mapped[str] = mapped_column(String(16))
    created_by_id: Mapped[UUID] = mapped_column(GUID())
    customer_name: Mapped[str | None] = mapped_column(String(100))
    customer_phone: Mapped[str | None] = mapped_column(String(40))
    customer_email: Mapped[str | None] = mapped_column(String(320))
    customer_id: Mapped[UUID | None] = mapped_column(GUID())
    state: Mapped[str] = mapped_column(String(20), server_default=text("'placed'"))
    pickup_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
    promised_ready_at: Mapped[datetime | None] = mapped_column(DateTimeUTC())
    # The money: total_cents is what is charged; subtotal the lines' sum, then what
    # came off it and the tax at the location's rate (rules/order_prices.py).
    subtotal_cents: Mapped[int] = mapped_column(Integer(), server_default=text("0"))
    discount_cents: Mapped[int] = mapped_column(Integer(), server_default=text("0"))
    tax_cents: Mapped[int] = mapped_column(Integer(), server_default=text("0"))
    tax_rate_bp: Mapped[int] = mapped_column(Integer(), server_default=text("0"))
    tax_inclusive: Mapped[bool] = mapped_column(Boolean(), server_default=false())
    # Whether it holds its units while awaiting payment (steps/payment_holds.py).
    stock_held: Mapped[bool] = mapped_column(Boolean(), server_default=false())


class OrderLineRow(SqlBase):
    __tablename__ = "order_lines"

    order_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer(), primary_key=True)
    item_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("menu_items.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_price_cents: Mapped[int] = mapped_column(Integer())
    quantity: Mapped[int] = mapped_column(Integer())
    notes: Mapped[str | None] = mapped_column(String(500))
    # The options chosen, with their names and prices at order time.
    modifiers: Mapped[list[Any]] = mapped_column(JSON(), server_default=text("'[]'"))
