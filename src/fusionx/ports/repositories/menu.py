from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol
from uuid import UUID

from fusionx.core.model.menu import (
    MenuCategory,
    MenuExcerpt,
    MenuItem,
    MenuItemFilter,
    ModifierGroup,
    TruckMenuEntry,
)
from fusionx.core.model.paging import Page, PageRequest


class MenuRepository(Protocol):
    """The catalogue, every truck's own entries and specials, and each truck's selection."""

    async def add_category(self, category: MenuCategory) -> None: ...

    async def add_item(self, item: MenuItem) -> None: ...

    async def categories(self) -> list[MenuCategory]:
        """Every category, in display order (then name)."""
        ...

    async def items(self) -> list[MenuItem]:
        """Every item, in display order (then name)."""
        ...

    async def items_by_id(self, item_ids: Iterable[UUID]) -> dict[UUID, MenuItem]:
        """The items among ``item_ids`` that exist (active or not)."""
        ...

    async def get_category(self, category_id: UUID) -> MenuCategory | None: ...

    async def update_category(self, category: MenuCategory) -> None: ...

    async def get_item(self, item_id: UUID) -> MenuItem | None: ...

    async def update_item(self, item: MenuItem) -> None: ...

    async def search_items(self, criteria: MenuItemFilter, page: PageRequest) -> Page[MenuItem]:
        """Items matching every given criterion, in display order (then name).

        ``text`` matches name or description ignoring case; ``tag`` is one exact tag.
        """
        ...

    async def add_modifier_group(self, group: ModifierGroup) -> None: ...

    async def update_modifier_group(self, group: ModifierGroup) -> None: ...

    async def modifier_groups(self, group_ids: Iterable[UUID] | None = None) -> list[ModifierGroup]:
        """The groups among ``group_ids`` that exist (every group if None), by name."""
        ...

    async def truck_menu(self, truck_id: UUID) -> list[TruckMenuEntry]:
        """The fleet items a truck sells; empty means the whole fleet catalogue."""
        ...

    async def excerpt(
        self, truck_id: UUID, location_id: UUID, item_ids: Iterable[UUID]
    ) -> MenuExcerpt:
        """What decides whether ``truck_id`` at ``location_id`` sells ``item_ids``,
        read at once: what an order needs, rather than the whole menu."""
        ...

    async def set_truck_menu(self, truck_id: UUID, entries: Sequence[TruckMenuEntry]) -> None:
        """Replace the truck's selection with ``entries``."""
        ...
