from __future__ import annotations

from collections.abc import Iterable, Sequence
from uuid import UUID

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.menu import (
    MenuCategory,
    MenuExcerpt,
    MenuItem,
    MenuItemFilter,
    ModifierGroup,
    TruckMenuEntry,
)
from fusionx.core.model.paging import Page, PageRequest


def _display_key(entity: MenuCategory | MenuItem) -> tuple[int, str, UUID]:
    return entity.display_order, entity.name, entity.id


def _matches(item: MenuItem, criteria: MenuItemFilter) -> bool:
    text = criteria.text.lower() if criteria.text else None
    return (
        (text is None or text in item.name.lower() or text in item.description.lower())
        and (criteria.category_id is None or item.category_id == criteria.category_id)
        and (criteria.tag is None or criteria.tag in item.tags)
        and (criteria.active is None or item.active is criteria.active)
        and (
            criteria.truck_ids is None
            or item.truck_id is None
            or item.truck_id in criteria.truck_ids
        )
    )


class InMemoryMenuRepository:
    def __init__(self, tables: InMemoryTables) -> None:
        self._t = tables

    async def add_category(self, category: MenuCategory) -> None:
        self._t.categories[category.id] = category

    async def add_item(self, item: MenuItem) -> None:
        self._t.items[item.id] = item

    async def categories(self) -> list[MenuCategory]:
        return sorted(self._t.categories.values(), key=_display_key)

    async def items(self) -> list[MenuItem]:
        return sorted(self._t.items.values(), key=_display_key)

    async def items_by_id(self, item_ids: Iterable[UUID]) -> dict[UUID, MenuItem]:
        return {i: self._t.items[i] for i in item_ids if i in self._t.items}

    async def get_category(self, category_id: UUID) -> MenuCategory | None:
        return self._t.categories.get(category_id)

    async def update_category(self, category: MenuCategory) -> None:
        self._t.categories[category.id] = category

    async def get_item(self, item_id: UUID) -> MenuItem | None:
        return self._t.items.get(item_id)

    async def update_item(self, item: MenuItem) -> None:
        self._t.items[item.id] = item

    async def search_items(self, criteria: MenuItemFilter, page: PageRequest) -> Page[MenuItem]:
        found = [item for item in await self.items() if _matches(item, criteria)]
        return Page.of_list(found, page)

    async def add_modifier_group(self, group: ModifierGroup) -> None:
        self._t.modifier_groups[group.id] = group

    async def update_modifier_group(self, group: ModifierGroup) -> None:
        self._t.modifier_groups[group.id] = group

    async def modifier_groups(self, group_ids: Iterable[UUID] | None = None) -> list[ModifierGroup]:
        groups = self._t.modifier_groups
        wanted = (
            groups.values() if group_ids is None else [groups[g] for g in group_ids if g in groups]
        )
        unique = {group.id: group for group in wanted}
        return sorted(unique.values(), key=lambda g: (g.name, g.id))

    async def truck_menu(self, truck_id: UUID) -> list[TruckMenuEntry]:
        return list(self._t.truck_menus.get(truck_id, ()))

    async def excerpt(
        self, truck_id: UUID, location_id: UUID, item_ids: Iterable[UUID]
    ) -> MenuExcerpt:
        location = self._t.locations.get(location_id)
        items = await self.items_by_id(item_ids)
        categories = {i.category_id for i in items.values()}
        groups = {g for i in items.values() for g in i.modifier_group_ids}
        selection = self._t.truck_menus.get(truck_id, ())
        return MenuExcerpt(
            items=tuple(items.values()),
            categories=tuple(c for c in await self.categories() if c.id in categories),
            modifier_groups=tuple(await self.modifier_groups(groups)),
            selection={e.item_id: e.price_cents for e in selection if e.item_id in items},
            restricted=bool(selection),
            timezone=location.timezone if location else None,
            tax_rate_bp=location.tax_rate_bp if location else 0,
            tax_inclusive=location.tax_inclusive if location else False,
        )

    async def set_truck_menu(self, truck_id: UUID, entries: Sequence[TruckMenuEntry]) -> None:
        self._t.truck_menus[truck_id] = tuple(entries)
