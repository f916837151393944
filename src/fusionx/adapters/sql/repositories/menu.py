from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import ColumnElement, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.mapping import plain_uuid
from fusionx.adapters.sql.tables import MenuCategoryRow, MenuItemRow
from fusionx.core.model.menu import MenuCategory, MenuItem

_CATEGORY = (
    MenuCategoryRow.id,
    MenuCategoryRow.name,
    MenuCategoryRow.display_order,
    MenuCategoryRow.created_at,
    MenuCategoryRow.active,
)
_ITEM = (
    MenuItemRow.id,
    MenuItemRow.category_id,
    MenuItemRow.name,
    MenuItemRow.price_cents,
    MenuItemRow.display_order,
    MenuItemRow.created_at,
    MenuItemRow.description,
    MenuItemRow.active,
)


class SqlMenuRepository:
    """``MenuRepository`` on ``menu_categories`` and ``menu_items``."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_category(self, category: MenuCategory) -> None:
        await self._session.execute(
            insert(MenuCategoryRow).values(
                id=category.id,
                name=category.name,
                display_order=category.display_order,
                active=category.active,
                created_at=category.created_at,
            )
        )

    async def add_item(self, item: MenuItem) -> None:
        await self._session.execute(
            insert(MenuItemRow).values(
                id=item.id,
                category_id=item.category_id,
                name=item.name,
                description=item.description,
                price_cents=item.price_cents,
                display_order=item.display_order,
                active=item.active,
                created_at=item.created_at,
            )
        )

    async def categories(self) -> list[MenuCategory]:
        connection = await self._session.connection()
        result = await connection.execute(
            select(*_CATEGORY).order_by(
                MenuCategoryRow.display_order, MenuCategoryRow.name, MenuCategoryRow.id
            )
        )
        return [
            MenuCategory(
                id=plain_uuid(category_id),
                name=name,
                display_order=display_order,
                created_at=created_at,
                active=active,
            )
            for category_id, name, display_order, created_at, active in result
        ]

    async def items(self) -> list[MenuItem]:
        return await self._items()

    async def items_by_id(self, item_ids: Iterable[UUID]) -> dict[UUID, MenuItem]:
        wanted = list(set(item_ids))
        if not wanted:
            return {}
        items = await self._items(MenuItemRow.id.in_(wanted))
        return {item.id: item for item in items}

    async def _items(self, *conditions: ColumnElement[bool]) -> list[MenuItem]:
        statement = (
            select(*_ITEM)
            .where(*conditions)
            .order_by(MenuItemRow.display_order, MenuItemRow.name, MenuItemRow.id)
        )
        connection = await self._session.connection()
        return [
            MenuItem(
                id=plain_uuid(item_id),
                category_id=plain_uuid(category_id),
                name=name,
                price_cents=price_cents,
                display_order=display_order,
                created_at=created_at,
                description=description,
                active=active,
            )
            for (
                item_id,
                category_id,
                name,
                price_cents,
                display_order,
                created_at,
                description,
                active,
            ) in await connection.execute(statement)
        ]
