"""The menu: categories, items and their tags, modifier groups, and what each truck sells.

Prices are integer cents. Availability windows and modifier options are small value
lists read and written with their owner, so they live in JSON columns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from fusionx.adapters.sql.tables.base import SqlBase

_EMPTY_LIST = text("'[]'")


class MenuCategoryRow(SqlBase):
    __tablename__ = "menu_categories"

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    display_order: Mapped[int] = mapped_column(Integer())
    active: Mapped[bool] = mapped_column(Boolean())
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    availability: Mapped[list[Any]] = mapped_column(JSON(), server_default=_EMPTY_LIST)
    truck_id: Mapped[UUID | None] = mapped_column(
        GUID(), ForeignKey("trucks.id", ondelete="CASCADE"), index=True
    )


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
    image_url: Mapped[str | None] = mapped_column(String(500))
    modifier_group_ids: Mapped[list[Any]] = mapped_column(JSON(), server_default=_EMPTY_LIST)
    availability: Mapped[list[Any]] = mapped_column(JSON(), server_default=_EMPTY_LIST)
    truck_id: Mapped[UUID | None] = mapped_column(
        GUID(), ForeignKey("trucks.id", ondelete="CASCADE"), index=True
    )
    # A special: sold during this one shift only.
    shift_id: Mapped[UUID | None] = mapped_column(
        GUID(), ForeignKey("shifts.id", ondelete="CASCADE"), index=True
    )


class MenuItemTagRow(SqlBase):
    """One tag of an item (an allergen, "vegan"…): a row each, so a filter is an index hit."""

    __tablename__ = "menu_item_tags"
    __table_args__ = (Index("ix_menu_item_tags_tag", "tag"),)

    item_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("menu_items.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(50), primary_key=True)


class ModifierGroupRow(SqlBase):
    __tablename__ = "modifier_groups"

    id: Mapped[UUID] = mapped_column(GUID(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    min_choices: Mapped[int] = mapped_column(Integer())
    max_choices: Mapped[int] = mapped_column(Integer())
    options: Mapped[list[Any]] = mapped_column(JSON())
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC())
    truck_id: Mapped[UUID | None] = mapped_column(
        GUID(), ForeignKey("trucks.id", ondelete="CASCADE"), index=True
    )


class TruckMenuItemRow(SqlBase):
    """A fleet item a truck sells, with its own price when ``price_cents`` is set and
    what each of its shifts opens with when ``opening_stock`` is."""

    __tablename__ = "truck_menu_items"

    truck_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("trucks.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[UUID] = mapped_column(
        GUID(), ForeignKey("menu_items.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    price_cents: Mapped[int | None] = mapped_column(Integer())
    opening_stock: Mapped[int | None] = mapped_column(Integer())
