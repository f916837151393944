"""The fleet's menu: categories and the items in them. Prices are integer cents."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec


class MenuCategory(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    display_order: int
    created_at: datetime
    active: bool = True


class MenuItem(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    category_id: UUID
    name: str
    price_cents: int
    display_order: int
    created_at: datetime
    description: str = ""
    active: bool = True
