"""A shift's menu: what it sells now, with stock, prices, modifiers and availability."""

from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.menu import ModifierGroup, ModifierOption
from fusionx.core.use_cases.steps.shift_menu import MenuEntry, MenuSection, ShiftMenu
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime


class ModifierOptionView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    price_delta_cents: int

    @classmethod
    def of(cls, option: ModifierOption) -> ModifierOptionView:
        return cls(id=option.id, name=option.name, price_delta_cents=option.price_delta_cents)


class ModifierGroupView(msgspec.Struct, frozen=True, kw_only=True):
    """Choose ``min_choices`` to ``max_choices`` distinct options; ``required`` if min > 0."""

    id: UUID
    name: str
    min_choices: int
    max_choices: int
    required: bool
    options: list[ModifierOptionView]
    truck_id: UUID | None

    @classmethod
    def of(cls, group: ModifierGroup) -> ModifierGroupView:
        return cls(
            id=group.id,
            name=group.name,
            min_choices=group.min_choices,
            max_choices=group.max_choices,
            required=group.required,
            options=[ModifierOptionView.of(option) for option in group.options],
            truck_id=group.truck_id,
        )


class MenuItemView(msgspec.Struct, frozen=True, kw_only=True):
    """``price_cents`` is this truck's price. ``available_from`` says when an item outside
    its availability windows can next be ordered."""

    id: UUID
    name: str
    description: str
    price_cents: int
    display_order: int
    tags: list[str]
    image_url: str | None
    on_hand: int
    sold_out: bool
    available: bool
    available_from: UtcDateTime | None
    special: bool
    modifier_groups: list[ModifierGroupView]

    @classmethod
    def of(cls, entry: MenuEntry) -> MenuItemView:
        item = entry.item
        return cls(
            id=item.id,
            name=item.name,
            description=item.description,
            price_cents=item.price_cents,
            display_order=item.display_order,
            tags=list(item.tags),
            image_url=item.image_url,
            on_hand=entry.on_hand,
            sold_out=entry.sold_out,
            available=entry.available,
            available_from=entry.available_from,
            special=entry.special,
            modifier_groups=[ModifierGroupView.of(group) for group in entry.modifier_groups],
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
    """Categories and items in display order, as of ``at``, with availability judged in
    the location's ``timezone``. An item with nothing on hand is sold out."""

    shift_id: UUID
    at: UtcDateTime
    timezone: str
    categories: list[MenuCategoryView]

    @classmethod
    def of(cls, menu: ShiftMenu) -> ShiftMenuView:
        return cls(
            shift_id=menu.shift_id,
            at=menu.at,
            timezone=menu.timezone,
            categories=[MenuCategoryView.of(s) for s in menu.sections],
        )
