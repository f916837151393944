from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import ColumnElement, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fusionx.adapters.sql.mapping import plain_uuid, row_values
from fusionx.adapters.sql.repositories.menu_excerpt import EXCERPT
from fusionx.adapters.sql.tables import (
    LocationRow,
    MenuCategoryRow,
    MenuItemRow,
    MenuItemTagRow,
    ModifierGroupRow,
    TruckMenuItemRow,
)
from fusionx.adapters.sql.unit_statements import driver_fetchrow
from fusionx.core.model.menu import (
    AvailabilityWindow,
    MenuCategory,
    MenuExcerpt,
    MenuItem,
    MenuItemFilter,
    ModifierGroup,
    ModifierOption,
    TruckMenuEntry,
)
from fusionx.core.model.paging import Page, PageRequest

_CATEGORY = (
    MenuCategoryRow.id,
    MenuCategoryRow.name,
    MenuCategoryRow.display_order,
    MenuCategoryRow.created_at,
    MenuCategoryRow.active,
    MenuCategoryRow.availability,
    MenuCategoryRow.truck_id,
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
    MenuItemRow.image_url,
    MenuItemRow.modifier_group_ids,
    MenuItemRow.availability,
    MenuItemRow.truck_id,
    MenuItemRow.shift_id,
)
_ITEM_ORDER = (MenuItemRow.display_order, MenuItemRow.name, MenuItemRow.id)
_GROUP = (
    ModifierGroupRow.id,
    ModifierGroupRow.name,
    ModifierGroupRow.min_choices,
    ModifierGroupRow.max_choices,
    ModifierGroupRow.options,
    ModifierGroupRow.created_at,
    ModifierGroupRow.truck_id,
)


def _windows(raw: Any) -> tuple[AvailabilityWindow, ...]:
    return msgspec.convert(raw or [], tuple[AvailabilityWindow, ...])


def _optional_uuid(value: UUID | None) -> UUID | None:
    return None if value is None else plain_uuid(value)


class SqlMenuRepository:
    """``MenuRepository`` on ``menu_categories``, ``menu_items`` (tags in
    ``menu_item_tags``), ``modifier_groups`` and ``truck_menu_items``; as SQLite runs it.
    ``PgMenuRepository`` reads the excerpt differently."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_category(self, category: MenuCategory) -> None:
        await self._session.execute(insert(MenuCategoryRow).values(row_values(category)))

    async def add_item(self, item: MenuItem) -> None:
        await self._session.execute(insert(MenuItemRow).values(row_values(item, exclude=["tags"])))
        await self._write_tags(item)

    async def categories(self) -> list[MenuCategory]:
        return await self._categories()

    async def get_category(self, category_id: UUID) -> MenuCategory | None:
        found = await self._categories(MenuCategoryRow.id == category_id)
        return found[0] if found else None

    async def update_category(self, category: MenuCategory) -> None:
        values = row_values(category)
        del values["id"]
        await self._session.execute(
            update(MenuCategoryRow).where(MenuCategoryRow.id == category.id).values(values)
        )

    async def items(self) -> list[MenuItem]:
        return await self._items()

    async def items_by_id(self, item_ids: Iterable[UUID]) -> dict[UUID, MenuItem]:
        wanted = list(set(item_ids))
        if not wanted:
            return {}
        items = await self._items(MenuItemRow.id.in_(wanted))
        return {item.id: item for item in items}

    async def get_item(self, item_id: UUID) -> MenuItem | None:
        found = await self._items(MenuItemRow.id == item_id)
        return found[0] if found else None

    async def update_item(self, item: MenuItem) -> None:
        values = row_values(item, exclude=["tags"])
        del values["id"]
        await self._session.execute(
            update(MenuItemRow).where(MenuItemRow.id == item.id).values(values)
        )
        await self._session.execute(delete(MenuItemTagRow).where(MenuItemTagRow.item_id == item.id))
        await self._write_tags(item)

    async def search_items(self, criteria: MenuItemFilter, page: PageRequest) -> Page[MenuItem]:
        conditions = _conditions(criteria)
        connection = await self._session.connection()
        total = await connection.scalar(
            select(func.count()).select_from(MenuItemRow).where(*conditions)
        )
        items = await self._items(*conditions, limit=page.limit, offset=page.offset)
        return Page(items=items, total=total or 0, limit=page.limit, offset=page.offset)

    async def add_modifier_group(self, group: ModifierGroup) -> None:
        await self._session.execute(insert(ModifierGroupRow).values(row_values(group)))

    async def update_modifier_group(self, group: ModifierGroup) -> None:
        values = row_values(group)
        del values["id"]
        await self._session.execute(
            update(ModifierGroupRow).where(ModifierGroupRow.id == group.id).values(values)
        )

    async def modifier_groups(self, group_ids: Iterable[UUID] | None = None) -> list[ModifierGroup]:
        statement = select(*_GROUP).order_by(ModifierGroupRow.name, ModifierGroupRow.id)
        if group_ids is not None:
            wanted = list(set(group_ids))
            if not wanted:
                return []
            statement = statement.where(ModifierGroupRow.id.in_(wanted))
        connection = await self._session.connection()
        return [
            ModifierGroup(
                id=plain_uuid(group_id),
                name=name,
                min_choices=min_choices,
                max_choices=max_choices,
                options=msgspec.convert(options, tuple[ModifierOption, ...]),
                created_at=created_at,
                truck_id=_optional_uuid(truck_id),
            )
            for group_id, name, min_choices, max_choices, options, created_at, truck_id in (
                await connection.execute(statement)
            )
        ]

    async def truck_menu(self, truck_id: UUID) -> list[TruckMenuEntry]:
        connection = await self._session.connection()
        result = await connection.execute(
            select(
                TruckMenuItemRow.item_id,
                TruckMenuItemRow.price_cents,
                TruckMenuItemRow.opening_stock,
            )
            .where(TruckMenuItemRow.truck_id == truck_id)
            .order_by(TruckMenuItemRow.item_id)
        )
        return [
            TruckMenuEntry(item_id=plain_uuid(item_id), price_cents=price, opening_stock=stock)
            for item_id, price, stock in result
        ]

    async def excerpt(
        self, truck_id: UUID, location_id: UUID, item_ids: Iterable[UUID]
    ) -> MenuExcerpt:
        """What an order needs of the menu, read a query at a time (SQLite)."""
        wanted = list(set(item_ids))
        items = await self.items_by_id(wanted)
        categories = {item.category_id for item in items.values()}
        groups = {g for item in items.values() for g in item.modifier_group_ids}
        selection = await self.truck_menu(truck_id)
        place = (
            await self._session.execute(
                select(
                    LocationRow.timezone, LocationRow.tax_rate_bp, LocationRow.tax_inclusive
                ).where(LocationRow.id == location_id)
            )
        ).first()
        timezone, rate, inclusive = place if place is not None else (None, 0, False)
        return MenuExcerpt(
            items=tuple(items.values()),
            categories=tuple(await self._categories(MenuCategoryRow.id.in_(categories))),
            modifier_groups=tuple(await self.modifier_groups(groups)),
            selection={e.item_id: e.price_cents for e in selection if e.item_id in items},
            restricted=bool(selection),
            timezone=timezone,
            tax_rate_bp=rate,
            tax_inclusive=inclusive,
        )

    async def set_truck_menu(self, truck_id: UUID, entries: Sequence[TruckMenuEntry]) -> None:
        connection = await self._session.connection()
        await connection.execute(
            delete(TruckMenuItemRow).where(TruckMenuItemRow.truck_id == truck_id)
        )
        if entries:
            await connection.execute(
                insert(TruckMenuItemRow),
                [
                    {
                        "truck_id": truck_id,
                        "item_id": e.item_id,
                        "price_cents": e.price_cents,
                        "opening_stock": e.opening_stock,
                    }
                    for e in entries
                ],
            )

    async def _write_tags(self, item: MenuItem) -> None:
        if item.tags:
            await self._session.execute(
                insert(MenuItemTagRow), [{"item_id": item.id, "tag": tag} for tag in item.tags]
            )

    async def _categories(self, *conditions: ColumnElement[bool]) -> list[MenuCategory]:
        connection = await self._session.connection()
        result = await connection.execute(
            select(*_CATEGORY)
            .where(*conditions)
            .order_by(MenuCategoryRow.display_order, MenuCategoryRow.name, MenuCategoryRow.id)
        )
        return [
            MenuCategory(
                id=plain_uuid(category_id),
                name=name,
                display_order=display_order,
                created_at=created_at,
                active=active,
                availability=_windows(availability),
                truck_id=_optional_uuid(truck_id),
            )
            for category_id, name, display_order, created_at, active, availability, truck_id in (
                result
            )
        ]

    async def _items(
        self, *conditions: ColumnElement[bool], limit: int | None = None, offset: int = 0
    ) -> list[MenuItem]:
        statement = select(*_ITEM).where(*conditions).order_by(*_ITEM_ORDER)
        if limit is not None:
            statement = statement.limit(limit).offset(offset)
        connection = await self._session.connection()
        rows = list(await connection.execute(statement))
        tags = await self._tags([row[0] for row in rows])
        return [_item_from(row, tags.get(plain_uuid(row[0]), ())) for row in rows]

    async def _tags(self, item_ids: list[UUID]) -> dict[UUID, tuple[str, ...]]:
        if not item_ids:
            return {}
        connection = await self._session.connection()
        result = await connection.execute(
            select(MenuItemTagRow.item_id, MenuItemTagRow.tag)
            .where(MenuItemTagRow.item_id.in_(item_ids))
            .order_by(MenuItemTagRow.item_id, MenuItemTagRow.tag)
        )
        tags: dict[UUID, tuple[str, ...]] = {}
        for item_id, tag in result:
            key = plain_uuid(item_id)
            tags[key] = (*tags.get(key, ()), tag)
        return tags


def _conditions(criteria: MenuItemFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if criteria.text:
        text = criteria.text.lower()
        conditions.append(
            or_(
                func.lower(MenuItemRow.name).contains(text, autoescape=True),
                func.lower(MenuItemRow.description).contains(text, autoescape=True),
            )
        )
    if criteria.category_id is not None:
        conditions.append(MenuItemRow.category_id == criteria.category_id)
    if criteria.tag is not None:
        tagged = select(MenuItemTagRow.item_id).where(MenuItemTagRow.tag == criteria.tag)
        conditions.append(MenuItemRow.id.in_(tagged))
    if criteria.active is not None:
        conditions.append(MenuItemRow.active.is_(criteria.active))
    if criteria.truck_ids is not None:
        conditions.append(
            or_(MenuItemRow.truck_id.is_(None), MenuItemRow.truck_id.in_(list(criteria.truck_ids)))
        )
    return conditions


def _item_from(row: Sequence[Any], tags: tuple[str, ...]) -> MenuItem:
    (
        item_id,
        category_id,
        name,
        price_cents,
        display_order,
        created_at,
        description,
        active,
        image_url,
        group_ids,
        availability,
        truck_id,
        shift_id,
    ) = row
    return MenuItem(
        id=plain_uuid(item_id),
        category_id=plain_uuid(category_id),
        name=name,
        price_cents=price_cents,
        display_order=display_order,
        created_at=created_at,
        description=description,
        active=active,
        tags=tags,
        image_url=image_url,
        modifier_group_ids=tuple(UUID(group_id) for group_id in group_ids or ()),
        availability=_windows(availability),
        truck_id=_optional_uuid(truck_id),
        shift_id=_optional_uuid(shift_id),
    )


class PgMenuRepository(SqlMenuRepository):
    """PostgreSQL: an order's menu excerpt built by the database as one JSON document,
    in one round trip."""

    async def excerpt(
        self, truck_id: UUID, location_id: UUID, item_ids: Iterable[UUID]
    ) -> MenuExcerpt:
        connection = await self._session.connection()
        built = await driver_fetchrow(
            connection, EXCERPT, (truck_id, list(set(item_ids)), location_id)
        )
        if built is None:  # pragma: no cover - an aggregate answers one row
            raise LookupError("the menu excerpt answered no row")
        return msgspec.json.decode(built[0], type=MenuExcerpt)
