"""The fleet's menu: categories, items, modifier groups and when each may be sold.

Prices are integer cents. An entry with no ``truck_id`` belongs to the fleet catalogue
(owners and admins edit it); one with a ``truck_id`` is that truck's own (its managers
edit it). An item with a ``shift_id`` is a special: it exists for that shift only.
"""

from __future__ import annotations

from datetime import datetime, time
from uuid import UUID

import msgspec


class AvailabilityWindow(msgspec.Struct, frozen=True, kw_only=True):
    """A weekly time range in the local time of wherever the truck stands.

    ``days`` are ISO weekdays (1 = Monday) on which the window *opens*. An ``end`` at or
    before ``start`` runs past midnight into the next day (22:00-02:00).
    """

    days: frozenset[int]
    start: time
    end: time

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start


class MenuCategory(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    display_order: int
    created_at: datetime
    active: bool = True
    # Empty: always available. Otherwise only inside one of the windows.
    availability: tuple[AvailabilityWindow, ...] = ()
    truck_id: UUID | None = None


class ModifierOption(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    price_delta_cents: int = 0


class ModifierGroup(msgspec.Struct, frozen=True, kw_only=True):
    """A choice made with an item (size, extras): between ``min_choices`` and
    ``max_choices`` distinct options. A group with a minimum is required."""

    id: UUID
    name: str
    min_choices: int
    max_choices: int
    options: tuple[ModifierOption, ...]
    created_at: datetime
    truck_id: UUID | None = None

    @property
    def required(self) -> bool:
        return self.min_choices > 0


class MenuItem(msgspec.Struct, frozen=True, kw_only=True):
    """``active`` False means archived: off every menu, still named by past orders."""

    id: UUID
    category_id: UUID
    name: str
    price_cents: int
    display_order: int
    created_at: datetime
    description: str = ""
    active: bool = True
    tags: tuple[str, ...] = ()
    image_url: str | None = None
    modifier_group_ids: tuple[UUID, ...] = ()
    availability: tuple[AvailabilityWindow, ...] = ()
    truck_id: UUID | None = None
    shift_id: UUID | None = None


class TruckMenuEntry(msgspec.Struct, frozen=True, kw_only=True):
    """A fleet item a truck sells, at its own price when ``price_cents`` is set, and
    with ``opening_stock`` on hand when the truck checks in, if set (what it loads for
    every shift)."""

    item_id: UUID
    price_cents: int | None = None
    opening_stock: int | None = None


class MenuItemFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Search criteria; None matches anything. ``truck_ids`` None means every scope,
    else the fleet's entries and those of the trucks given."""

    text: str | None = None
    category_id: UUID | None = None
    tag: str | None = None
    active: bool | None = None
    truck_ids: frozenset[UUID] | None = None


class MenuExcerpt(msgspec.Struct, frozen=True, kw_only=True):
    """What decides whether a truck standing at a location sells some items now and at
    what price: the items (those that exist, active or not), their categories and
    modifier groups, the truck's selection among them, and the location's time zone
    (None if there is no such location), which the availability windows are in.
    ``restricted``: the truck has a selection at all (an empty one means the whole
    fleet catalogue)."""

    items: tuple[MenuItem, ...] = ()
    categories: tuple[MenuCategory, ...] = ()
    modifier_groups: tuple[ModifierGroup, ...] = ()
    selection: dict[UUID, int | None] = msgspec.field(default_factory=dict)
    restricted: bool = False
    timezone: str | None = None
    # The location's tax: what an order there adds (or holds) on top of the prices.
    tax_rate_bp: int = 0
    tax_inclusive: bool = False
