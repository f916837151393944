"""Editing the menu catalogue: categories, items, modifier groups (a truck's selection
and specials: ``truck_menu``). Partial updates leave out what does not change."""

from __future__ import annotations

from datetime import time
from typing import Annotated
from uuid import UUID

import msgspec

from fusionx.core.model.menu import (
    AvailabilityWindow,
    MenuCategory,
    MenuItem,
)
from fusionx.core.rules.menu_values import MAX_PRICE_CENTS, URL_INPUT_PATTERN
from fusionx.core.use_cases.commands.add_menu_category import AddCategoryRequest
from fusionx.core.use_cases.commands.add_menu_item import AddItemRequest
from fusionx.core.use_cases.commands.add_modifier_group import (
    MAX_DELTA_CENTS,
    MAX_OPTIONS,
    AddModifierGroupRequest,
    OptionRequest,
)
from fusionx.core.use_cases.commands.change_menu_category import ChangeCategoryRequest
from fusionx.core.use_cases.commands.change_menu_item import ChangeItemRequest
from fusionx.core.use_cases.commands.change_modifier_group import ChangeModifierGroupRequest
from fusionx.entrypoints.http.paging import PageView
from fusionx.entrypoints.http.schemas.menu import ModifierGroupView
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import (
    DAYS,
    Day,
    HourMinute,
    UtcDateTime,
    checked_by_core,
    text,
)

_DAYS = DAYS
# Local wall-clock time, hours and minutes: "07:00", "23:30".
ClockTime = HourMinute
ImageUrl = Annotated[str, text(500, pattern=URL_INPUT_PATTERN, description="An https:// URL")]
PriceDelta = Annotated[int, checked_by_core(minimum=-MAX_DELTA_CENTS, maximum=MAX_DELTA_CENTS)]
Choices = checked_by_core(description="0 ≤ min_choices ≤ max_choices ≤ the number of options")
Price = Annotated[int, msgspec.Meta(ge=0, le=MAX_PRICE_CENTS)]
Tag = Annotated[str, text(50)]
Unset = msgspec.UnsetType
UNSET = msgspec.UNSET


class WindowBody(RequestBody, frozen=True, kw_only=True):
    """Open from ``start`` to ``end`` local time on ``days``; an end at or before the
    start runs past midnight (``"22:00"``-``"02:00"``)."""

    days: Annotated[list[Day], msgspec.Meta(min_length=1, max_length=7)]
    start: ClockTime
    end: ClockTime

    def to_window(self) -> AvailabilityWindow:
        return AvailabilityWindow(
            days=frozenset(_DAYS.index(day) + 1 for day in self.days),
            start=time.fromisoformat(self.start),
            end=time.fromisoformat(self.end),
        )

    @classmethod
    def of(cls, window: AvailabilityWindow) -> WindowBody:
        return cls(
            days=[_DAYS[day - 1] for day in sorted(window.days)],
            start=window.start.strftime("%H:%M"),
            end=window.end.strftime("%H:%M"),
        )


Windows = Annotated[list[WindowBody], msgspec.Meta(max_length=14)]


def _windows(windows: list[WindowBody]) -> tuple[AvailabilityWindow, ...]:
    return tuple(window.to_window() for window in windows)


class CategoryBody(RequestBody, frozen=True, kw_only=True):
    """Without ``truck_id``: a fleet category (owners and admins)."""

    name: Annotated[str, text(100)]
    truck_id: UUID | None = None
    availability: Windows = msgspec.field(default_factory=list)

    def to_request(self) -> AddCategoryRequest:
        return AddCategoryRequest(
            name=self.name, truck_id=self.truck_id, availability=_windows(self.availability)
        )


class CategoryChangeBody(RequestBody, frozen=True, kw_only=True):
    name: Annotated[str, text(100)] | Unset = UNSET
    active: bool | Unset = UNSET
    availability: Windows | Unset = UNSET

    def to_request(self, category_id: UUID) -> ChangeCategoryRequest:
        availability = UNSET if self.availability is UNSET else _windows(self.availability)
        return ChangeCategoryRequest(
            category_id=category_id, name=self.name, active=self.active, availability=availability
        )


class CategoryView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    display_order: int
    active: bool
    availability: list[WindowBody]
    truck_id: UUID | None
    created_at: UtcDateTime

    @classmethod
    def of(cls, category: MenuCategory) -> CategoryView:
        return cls(
            id=category.id,
            name=category.name,
            display_order=category.display_order,
            active=category.active,
            availability=[WindowBody.of(w) for w in category.availability],
            truck_id=category.truck_id,
            created_at=category.created_at,
        )


class CategoryPage(PageView, frozen=True, kw_only=True):
    items: list[CategoryView]
    view = CategoryView.of


class CategoryOrderBody(RequestBody, frozen=True, kw_only=True):
    """Every category of the scope (the fleet's, or ``truck_id``'s own), first to last."""

    category_ids: Annotated[list[UUID], msgspec.Meta(max_length=500)]
    truck_id: UUID | None = None


class ItemOrderBody(RequestBody, frozen=True, kw_only=True):
    """Every item of the category (specials aside), first to last."""

    item_ids: Annotated[list[UUID], msgspec.Meta(max_length=1000)]


class ItemBody(RequestBody, frozen=True, kw_only=True):
    """Without ``truck_id``: a fleet catalogue item (owners and admins)."""

    category_id: UUID
    name: Annotated[str, text(100)]
    price_cents: Price
    description: Annotated[str, msgspec.Meta(max_length=1000)] = ""
    tags: Annotated[list[Tag], msgspec.Meta(max_length=20)] = msgspec.field(default_factory=list)
    image_url: ImageUrl | None = None
    modifier_group_ids: Annotated[list[UUID], msgspec.Meta(max_length=20)] = msgspec.field(
        default_factory=list
    )
    availability: Windows = msgspec.field(default_factory=list)
    truck_id: UUID | None = None

    def to_request(self) -> AddItemRequest:
        return AddItemRequest(
            category_id=self.category_id,
            name=self.name,
            price_cents=self.price_cents,
            description=self.description,
            tags=tuple(self.tags),
            image_url=self.image_url,
            modifier_group_ids=tuple(self.modifier_group_ids),
            availability=_windows(self.availability),
            truck_id=self.truck_id,
        )


class ItemChangeBody(RequestBody, frozen=True, kw_only=True):
    """``"active": false`` archives the item: off every menu, kept by past orders."""

    name: Annotated[str, text(100)] | Unset = UNSET
    price_cents: Price | Unset = UNSET
    description: Annotated[str, msgspec.Meta(max_length=1000)] | Unset = UNSET
    category_id: UUID | Unset = UNSET
    tags: Annotated[list[Tag], msgspec.Meta(max_length=20)] | Unset = UNSET
    image_url: ImageUrl | Unset | None = UNSET
    modifier_group_ids: Annotated[list[UUID], msgspec.Meta(max_length=20)] | Unset = UNSET
    availability: Windows | Unset = UNSET
    active: bool | Unset = UNSET

    def to_request(self, item_id: UUID) -> ChangeItemRequest:
        return ChangeItemRequest(
            item_id=item_id,
            name=self.name,
            price_cents=self.price_cents,
            description=self.description,
            category_id=self.category_id,
            tags=UNSET if self.tags is UNSET else tuple(self.tags),
            image_url=self.image_url,
            modifier_group_ids=(
                UNSET if self.modifier_group_ids is UNSET else tuple(self.modifier_group_ids)
            ),
            availability=UNSET if self.availability is UNSET else _windows(self.availability),
            active=self.active,
        )


class ItemView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    category_id: UUID
    name: str
    description: str
    price_cents: int
    display_order: int
    active: bool
    tags: list[str]
    image_url: str | None
    modifier_group_ids: list[UUID]
    availability: list[WindowBody]
    truck_id: UUID | None
    shift_id: UUID | None
    created_at: UtcDateTime

    @classmethod
    def of(cls, item: MenuItem) -> ItemView:
        return cls(
            id=item.id,
            category_id=item.category_id,
            name=item.name,
            description=item.description,
            price_cents=item.price_cents,
            display_order=item.display_order,
            active=item.active,
            tags=list(item.tags),
            image_url=item.image_url,
            modifier_group_ids=list(item.modifier_group_ids),
            availability=[WindowBody.of(w) for w in item.availability],
            truck_id=item.truck_id,
            shift_id=item.shift_id,
            created_at=item.created_at,
        )


class ItemPage(PageView, frozen=True, kw_only=True):
    items: list[ItemView]
    view = ItemView.of


class OptionBody(RequestBody, frozen=True, kw_only=True):
    """When changing a group, ``id`` keeps one of its options; without it, a new one."""

    name: Annotated[str, text(100)]
    price_delta_cents: PriceDelta = 0
    id: UUID | None = None

    def to_request(self) -> OptionRequest:
        return OptionRequest(name=self.name, price_delta_cents=self.price_delta_cents, id=self.id)


Options = Annotated[list[OptionBody], msgspec.Meta(min_length=1, max_length=MAX_OPTIONS)]


class ModifierGroupBody(RequestBody, frozen=True, kw_only=True):
    """Choose ``min_choices`` to ``max_choices`` options; a minimum makes it required."""

    name: Annotated[str, text(100)]
    options: Options
    min_choices: Annotated[int, msgspec.Meta(ge=0), Choices] = 0
    max_choices: Annotated[int, msgspec.Meta(ge=1), Choices] = 1
    truck_id: UUID | None = None

    def to_request(self) -> AddModifierGroupRequest:
        return AddModifierGroupRequest(
            name=self.name,
            options=tuple(option.to_request() for option in self.options),
            min_choices=self.min_choices,
            max_choices=self.max_choices,
            truck_id=self.truck_id,
        )


class ModifierGroupChangeBody(RequestBody, frozen=True, kw_only=True):
    """``options`` replaces the list: name an option's ``id`` to keep it."""

    name: Annotated[str, text(100)] | Unset = UNSET
    options: Options | Unset = UNSET
    min_choices: Annotated[int, msgspec.Meta(ge=0), Choices] | Unset = UNSET
    max_choices: Annotated[int, msgspec.Meta(ge=1), Choices] | Unset = UNSET

    def to_request(self, group_id: UUID) -> ChangeModifierGroupRequest:
        options = UNSET if self.options is UNSET else tuple(o.to_request() for o in self.options)
        return ChangeModifierGroupRequest(
            group_id=group_id,
            name=self.name,
            options=options,
            min_choices=self.min_choices,
            max_choices=self.max_choices,
        )


class ModifierGroupPage(PageView, frozen=True, kw_only=True):
    items: list[ModifierGroupView]
    view = ModifierGroupView.of
