"""Menu management: the fleet catalogue and trucks' own entries (managers and above)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post, put
from litestar.params import FromPath, JSONBody, QueryParameter

from fusionx.core.use_cases.commands.add_menu_category import AddMenuCategory
from fusionx.core.use_cases.commands.add_menu_item import AddMenuItem
from fusionx.core.use_cases.commands.add_modifier_group import AddModifierGroup
from fusionx.core.use_cases.commands.change_menu_category import ChangeMenuCategory
from fusionx.core.use_cases.commands.change_menu_item import ChangeMenuItem
from fusionx.core.use_cases.commands.change_modifier_group import ChangeModifierGroup
from fusionx.core.use_cases.commands.reorder_menu import ReorderMenu
from fusionx.core.use_cases.queries.browse_menu import BrowseMenu, ItemSearch
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.paging import Paging
from fusionx.entrypoints.http.schemas.catalogue import (
    CategoryBody,
    CategoryChangeBody,
    CategoryOrderBody,
    CategoryPage,
    CategoryView,
    ItemBody,
    ItemChangeBody,
    ItemOrderBody,
    ItemPage,
    ItemView,
    ModifierGroupBody,
    ModifierGroupChangeBody,
    ModifierGroupPage,
)
from fusionx.entrypoints.http.schemas.menu import ModifierGroupView

_WRITES = problem_responses(400, 401, 403, 404, 413, 422)


class MenuCategoriesController(Controller):
    path = "/api/v1/menu/categories"
    tags = ("menu",)
    security = BEARER

    @get(
        operation_id="listMenuCategories",
        summary="Categories in display order: the fleet's and your trucks' own",
        responses=problem_responses(400, 401, 422),
    )
    async def list_categories(
        self,
        principal: CurrentPrincipal,
        browse_menu: UseCase[BrowseMenu],
        page: Paging,
    ) -> CategoryPage:
        return CategoryPage.of(await browse_menu.categories(principal, page))

    @post(
        operation_id="addMenuCategory",
        summary="Add a category, last in display order (with a truck_id: that truck's own)",
        responses=_WRITES,
    )
    async def add(
        self,
        data: JSONBody[CategoryBody],
        principal: CurrentPrincipal,
        add_menu_category: UseCase[AddMenuCategory],
    ) -> CategoryView:
        return CategoryView.of(await add_menu_category.execute(principal, data.to_request()))

    @patch(
        "/{category_id:uuid}",
        operation_id="changeMenuCategory",
        summary="Rename a category, hide it or set its availability windows",
        responses=_WRITES,
    )
    async def change(
        self,
        category_id: FromPath[UUID],
        data: JSONBody[CategoryChangeBody],
        principal: CurrentPrincipal,
        change_menu_category: UseCase[ChangeMenuCategory],
    ) -> CategoryView:
        return CategoryView.of(
            await change_menu_category.execute(principal, data.to_request(category_id))
        )

    @put(
        "/order",
        operation_id="reorderMenuCategories",
        summary="Set the display order of every category of the fleet (or of a truck) at once",
        responses=_WRITES,
    )
    async def reorder(
        self,
        data: JSONBody[CategoryOrderBody],
        principal: CurrentPrincipal,
        reorder_menu: UseCase[ReorderMenu],
    ) -> list[CategoryView]:
        ordered = await reorder_menu.categories(principal, data.category_ids, data.truck_id)
        return [CategoryView.of(category) for category in ordered]

    @put(
        "/{category_id:uuid}/items/order",
        operation_id="reorderMenuItems",
        summary="Set the display order of every item in a category at once",
        responses=_WRITES,
    )
    async def reorder_items(
        self,
        category_id: FromPath[UUID],
        data: JSONBody[ItemOrderBody],
        principal: CurrentPrincipal,
        reorder_menu: UseCase[ReorderMenu],
    ) -> list[ItemView]:
        ordered = await reorder_menu.items(principal, category_id, data.item_ids)
        return [ItemView.of(item) for item in ordered]


class MenuItemsController(Controller):
    path = "/api/v1/menu/items"
    tags = ("menu",)
    security = BEARER

    @get(
        operation_id="searchMenuItems",
        summary="Search items by text, category, tag and archived or not, in display order",
        responses=problem_responses(400, 401, 422),
    )
    async def search(
        self,
        *,
        principal: CurrentPrincipal,
        browse_menu: UseCase[BrowseMenu],
        q: Annotated[
            str | None, QueryParameter(max_length=100, description="Text in name or description")
        ] = None,
        category_id: Annotated[UUID | None, QueryParameter()] = None,
        tag: Annotated[str | None, QueryParameter(max_length=50)] = None,
        active: Annotated[
            bool | None, QueryParameter(description="false: archived items only")
        ] = None,
        page: Paging,
    ) -> ItemPage:
        search = ItemSearch(
            text=q,
            category_id=category_id,
            tag=tag,
            active=active,
            page=page,
        )
        return ItemPage.of(await browse_menu.search(principal, search))

    @post(
        operation_id="addMenuItem",
        summary="Add an item to a category (with a truck_id: that truck's own)",
        responses=_WRITES,
    )
    async def add(
        self,
        data: JSONBody[ItemBody],
        principal: CurrentPrincipal,
        add_menu_item: UseCase[AddMenuItem],
    ) -> ItemView:
        return ItemView.of(await add_menu_item.execute(principal, data.to_request()))

    @get(
        "/{item_id:uuid}",
        operation_id="getMenuItem",
        summary="One menu item, archived or not",
        responses=problem_responses(400, 401, 404),
    )
    async def get_item(
        self, item_id: FromPath[UUID], principal: CurrentPrincipal, browse_menu: UseCase[BrowseMenu]
    ) -> ItemView:
        return ItemView.of(await browse_menu.item(principal, item_id))

    @patch(
        "/{item_id:uuid}",
        operation_id="changeMenuItem",
        summary="Change an item; active=false archives it (past orders keep their copy)",
        responses=_WRITES,
    )
    async def change(
        self,
        item_id: FromPath[UUID],
        data: JSONBody[ItemChangeBody],
        principal: CurrentPrincipal,
        change_menu_item: UseCase[ChangeMenuItem],
    ) -> ItemView:
        return ItemView.of(await change_menu_item.execute(principal, data.to_request(item_id)))


class ModifierGroupsController(Controller):
    path = "/api/v1/menu/modifier-groups"
    tags = ("menu",)
    security = BEARER

    @get(
        operation_id="listModifierGroups",
        summary="Modifier groups by name: the fleet's and your trucks' own",
        responses=problem_responses(400, 401, 422),
    )
    async def list_groups(
        self,
        principal: CurrentPrincipal,
        browse_menu: UseCase[BrowseMenu],
        page: Paging,
    ) -> ModifierGroupPage:
        return ModifierGroupPage.of(await browse_menu.modifier_groups(principal, page))

    @post(
        operation_id="addModifierGroup",
        summary="Add a modifier group (size, extras) with its options and price deltas",
        responses=_WRITES,
    )
    async def add(
        self,
        data: JSONBody[ModifierGroupBody],
        principal: CurrentPrincipal,
        add_modifier_group: UseCase[AddModifierGroup],
    ) -> ModifierGroupView:
        return ModifierGroupView.of(await add_modifier_group.execute(principal, data.to_request()))

    @patch(
        "/{group_id:uuid}",
        operation_id="changeModifierGroup",
        summary="Rename a modifier group, change its options and prices, or its min and max",
        responses=_WRITES,
    )
    async def change(
        self,
        group_id: FromPath[UUID],
        data: JSONBody[ModifierGroupChangeBody],
        principal: CurrentPrincipal,
        change_modifier_group: UseCase[ChangeModifierGroup],
    ) -> ModifierGroupView:
        return ModifierGroupView.of(
            await change_modifier_group.execute(principal, data.to_request(group_id))
        )
