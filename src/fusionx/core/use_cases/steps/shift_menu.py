"""What a shift sells, and when: the catalogue and the truck's own entries, narrowed to
the truck's selection at its prices, plus the shift's specials, each with its stock and
whether its availability windows are open in the location's time zone."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.menu import MenuCategory, MenuExcerpt, MenuItem, ModifierGroup
from fusionx.core.model.shifts import Shift
from fusionx.core.rules.availability import is_open, next_opening
from fusionx.ports.unit_of_work import UnitOfWork


class MenuEntry(msgspec.Struct, frozen=True, kw_only=True):
    """An item as this shift sells it: ``item.price_cents`` is the truck's price.

    ``available_from`` is when an item outside its windows can next be sold (None if
    never); for an available item it is None.
    """

    item: MenuItem
    on_hand: int
    available: bool
    modifier_groups: tuple[ModifierGroup, ...] = ()
    available_from: datetime | None = None

    @property
    def sold_out(self) -> bool:
        return self.on_hand <= 0

    @property
    def special(self) -> bool:
        return self.item.shift_id is not None


class MenuSection(msgspec.Struct, frozen=True, kw_only=True):
    category: MenuCategory
    entries: list[MenuEntry]


class ShiftMenu(msgspec.Struct, frozen=True, kw_only=True):
    shift_id: UUID
    at: datetime
    timezone: str
    sections: list[MenuSection]

    def entry(self, item_id: UUID) -> MenuEntry | None:
        return next((e for s in self.sections for e in s.entries if e.item.id == item_id), None)


async def compose_shift_menu(uow: UnitOfWork, shift: Shift, at: datetime) -> ShiftMenu:
    location = await uow.locations.get(shift.location_id)
    timezone = location.timezone if location else "UTC"
    zone = ZoneInfo(timezone)
    selection = {e.item_id: e.price_cents for e in await uow.menu.truck_menu(shift.truck_id)}
    items = [
        _priced(item, selection)
        for item in await uow.menu.items()
        if item.active and _sold_here(item, shift, selection, restricted=bool(selection))
    ]
    group_ids = {group_id for item in items for group_id in item.modifier_group_ids}
    groups = {g.id: g for g in await uow.menu.modifier_groups(group_ids)}
    levels = await uow.stock.levels(shift.id)
    sections = []
    for category in await uow.menu.categories():
        if not category.active or category.truck_id not in (None, shift.truck_id):
            continue
        entries = [
            _entry(item, category, groups, levels.get(item.id, 0), at=at, zone=zone)
            for item in items
            if item.category_id == category.id
        ]
        if entries:
            sections.append(MenuSection(category=category, entries=entries))
    return ShiftMenu(shift_id=shift.id, at=at, timezone=timezone, sections=sections)


class OrderMenu(msgspec.Struct, frozen=True, kw_only=True):
    """What an order needs of the shift's menu: ``entries_for_order`` and the tax of
    the location the shift stands at."""

    entries: dict[UUID, MenuEntry]
    tax_rate_bp: int = 0
    tax_inclusive: bool = False


async def menu_for_order(
    uow: UnitOfWork, shift: Shift, at: datetime, item_ids: set[UUID]
) -> OrderMenu:
    """``entries_for_order`` and the location's tax, from the same one read."""
    excerpt = await uow.menu.excerpt(shift.truck_id, shift.location_id, item_ids)
    return order_menu_of(excerpt, shift, at)


def order_menu_of(excerpt: MenuExcerpt, shift: Shift, at: datetime) -> OrderMenu:
    """``menu_for_order`` from an excerpt already read."""
    return OrderMenu(
        entries=_entries_of(excerpt, shift, at),
        tax_rate_bp=excerpt.tax_rate_bp,
        tax_inclusive=excerpt.tax_inclusive,
    )


async def entries_for_order(
    uow: UnitOfWork, shift: Shift, at: datetime, item_ids: set[UUID]
) -> dict[UUID, MenuEntry]:
    """The entries ``compose_shift_menu`` would show for ``item_ids``, from a read of
    those items only; an item not on the shift's menu has none. ``on_hand`` is left at
    0: an order takes stock rather than shows it."""
    return (await menu_for_order(uow, shift, at, item_ids)).entries


def _entries_of(excerpt: MenuExcerpt, shift: Shift, at: datetime) -> dict[UUID, MenuEntry]:
    zone = ZoneInfo(excerpt.timezone or "UTC")
    categories = {
        c.id: c for c in excerpt.categories if c.active and c.truck_id in (None, shift.truck_id)
    }
    groups = {g.id: g for g in excerpt.modifier_groups}
    return {
        item.id: _entry(
            _priced(item, excerpt.selection), categories[item.category_id], groups, 0,
            at=at, zone=zone,
        )
        for item in excerpt.items
        if item.active
        and item.category_id in categories
        and _sold_here(item, shift, excerpt.selection, restricted=excerpt.restricted)
    }  # fmt: skip


async def item_of_shift(uow: UnitOfWork, shift: Shift, item_id: UUID) -> MenuItem:
    """The item, if ``shift``'s truck may sell it (archived or not): the fleet catalogue,
    whether or not the truck's selection holds it today, the truck's own items and this
    shift's specials. Else 404, as for an item that does not exist: another truck's own
    items are none of this truck's business, not even that they exist."""
    item = await uow.menu.get_item(item_id)
    if item is None or not _sold_here(item, shift, {}, restricted=False):
        raise NotFound("menu item", item_id)
    return item


def _sold_here(
    item: MenuItem, shift: Shift, selection: dict[UUID, int | None], *, restricted: bool
) -> bool:
    """``restricted``: the truck sells only the fleet items in its ``selection``."""
    if item.shift_id is not None:
        return item.shift_id == shift.id
    if item.truck_id is not None:
        return item.truck_id == shift.truck_id
    return not restricted or item.id in selection


def _priced(item: MenuItem, selection: dict[UUID, int | None]) -> MenuItem:
    price = selection.get(item.id)
    return item if price is None else msgspec.structs.replace(item, price_cents=price)


def _entry(
    item: MenuItem,
    category: MenuCategory,
    groups: dict[UUID, ModifierGroup],
    on_hand: int,
    *,
    at: datetime,
    zone: ZoneInfo,
) -> MenuEntry:
    rules = [item.availability, category.availability]
    available = all(is_open(windows, at, zone) for windows in rules)
    return MenuEntry(
        item=item,
        on_hand=on_hand,
        available=available,
        modifier_groups=tuple(groups[g] for g in item.modifier_group_ids if g in groups),
        available_from=None if available else next_opening(rules, at, zone),
    )
