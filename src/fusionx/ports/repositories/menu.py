from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol
from uuid import UUID

from fusionx.core.model.menu import MenuCategory, MenuItem


class MenuRepository(Protocol):
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
