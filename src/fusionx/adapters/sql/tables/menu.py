"""The fleet menu: categories and their items. Prices are integer cents."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase


class MenuCategoryRow(SqlBase):
    __tablename__ = "menu_categories"

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    display_order: Mapped[int] = mapped_column(Integer())
    active: Mapped[bool] = mapped_column(Boolean())
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())


class MenuItemRow(SqlBase):
    __tablename__ = "menu_items"

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    category_id: Mapped[UUID] = mapped_column(GUID(), ForeignKey("menu_categories.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(1000))
    price_cents: Mapped[int] = mapped_column(Integer())
    display_order: Mapped[int] = mapped_column(Integer())
    active: Mapped[bool] = mapped_column(Boolean())
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
