from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.menu import MenuCategory, MenuItem, MenuItemFilter, ModifierGroup
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import require_operator, trucks_in_scope
from fusionx.core.rules.menu_access import can_see_menu_entry
from fusionx.core.use_cases.steps.menu_scope import item_in_scope
from fusionx.ports.unit_of_work import UnitOfWork


class ItemSearch(msgspec.Struct, frozen=True, kw_only=True):
    text: str | None = None
    category_id: UUID | None = None
    tag: str | None = None
    active: bool | None = None
    page: PageRequest = PageRequest()


class BrowseMenu:
    """Read the catalogue as the caller may see it: the fleet's entries and their trucks'.

    Search matches text in name or description (ignoring case), a category, a tag and
    whether archived; results come in display order, a page at a time.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def search(self, principal: Principal, search: ItemSearch) -> Page[MenuItem]:
        criteria = MenuItemFilter(
            text=search.text.strip() or None if search.text else None,
            category_id=search.category_id,
            tag=search.tag.strip().lower() if search.tag else None,
            active=search.active,
            truck_ids=trucks_in_scope(require_operator(principal)),
        )
        async with self._uow as uow:
            return await uow.menu.search_items(criteria, search.page)

    async def item(self, principal: Principal, item_id: UUID) -> MenuItem:
        require_operator(principal)
        async with self._uow as uow:
            return await item_in_scope(uow, principal, item_id)

    async def categories(self, principal: Principal, page: PageRequest) -> Page[MenuCategory]:
        """In display order: the fleet's and the caller's trucks' (hidden ones too)."""
        require_operator(principal)
        async with self._uow as uow:
            categories = await uow.menu.categories()
        return Page.of_list(
            [c for c in categories if can_see_menu_entry(principal, c.truck_id)], page
        )

    async def modifier_groups(self, principal: Principal, page: PageRequest) -> Page[ModifierGroup]:
        """By name: the fleet's and the caller's trucks'."""
        require_operator(principal)
        async with self._uow as uow:
            groups = await uow.menu.modifier_groups()
        return Page.of_list([g for g in groups if can_see_menu_entry(principal, g.truck_id)], page)
