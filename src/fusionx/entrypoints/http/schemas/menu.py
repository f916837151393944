"""A shift's menu: the fleet's active items by category, with what this shift has left."""

from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.use_cases.view_shift import MenuEntry, MenuSection


class MenuItemView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    description: str
    price_cents: int
    display_order: int
    on_hand: int
    sold_out: bool

    @classmethod
    def of(cls, entry: MenuEntry) -> MenuItemView:
        item = entry.item
        return cls(
            id=item.id,
            name=item.name,
            description=item.description,
            price_cents=item.price_cents,
            display_order=item.display_order,
            on_hand=entry.on_hand,
            sold_out=entry.sold_out,
        )


class MenuCategoryView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    display_order: int
    items: list[MenuItemView]

    @classmethod
    def of(cls, section: MenuSection) -> MenuCategoryView:
        category = section.category
        return cls(
            id=category.id,
            name=category.name,
            display_order=category.display_order,
            items=[MenuItemView.of(entry) for entry in section.entries],
        )


class ShiftMenuView(msgspec.Struct, frozen=True, kw_only=True):
    """Categories and items in display order. An item with nothing on hand is sold out."""

    shift_id: UUID
    categories: list[MenuCategoryView]

    @classmethod
    def of(cls, shift_id: UUID, sections: list[MenuSection]) -> ShiftMenuView:
        return cls(shift_id=shift_id, categories=[MenuCategoryView.of(s) for s in sections])
