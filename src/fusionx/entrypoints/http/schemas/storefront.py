"""What anyone may read without signing in: trucks near a point, one truck, its menu.

Nothing here names a staff member or shows stock counts, thresholds or costs:
``tests/http/test_public_routes.py`` walks every public answer for such fields.
"""

from __future__ import annotations

import math
from uuid import UUID

import msgspec

from fusionx.core.model.reviews import Rating, TruckRatings
from fusionx.core.model.trucks import Location
from fusionx.core.use_cases.queries.view_public_menu import PublicMenu
from fusionx.core.use_cases.steps.shift_menu import MenuEntry, MenuSection
from fusionx.core.use_cases.steps.truck_front import TruckFront
from fusionx.entrypoints.http.paging import PageView
from fusionx.entrypoints.http.schemas.hours import OpenIntervalView
from fusionx.entrypoints.http.schemas.menu import ModifierGroupView
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime


class PublicLocationView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    address: str | None
    latitude: float | None
    longitude: float | None
    timezone: str

    @classmethod
    def of(cls, location: Location) -> PublicLocationView:
        return cls(
            id=location.id,
            name=location.name,
            address=location.address,
            latitude=location.latitude,
            longitude=location.longitude,
            timezone=location.timezone,
        )


class RatingView(msgspec.Struct, frozen=True, kw_only=True):
    """Customers' reviews counted (hidden ones left out) and their mean in stars, 1 to 5
    to two decimals; ``mean`` null without any."""

    count: int
    mean: float | None

    @classmethod
    def of(cls, rating: Rating) -> RatingView:
        return cls(count=rating.count, mean=rating.mean)


class PublicTruckView(msgspec.Struct, frozen=True, kw_only=True):
    """A truck as customers see it. ``location`` null while it is not checked in;
    ``hours_today``: the intervals of the location's local date (the whole day when no
    hours are set); ``wait_seconds``: how long an order placed now would take, null while
    it takes no orders; ``distance_m``: from the point asked about, in a search;
    ``rating``: on the truck's own page (null in a search)."""

    id: UUID
    name: str
    location: PublicLocationView | None
    hours_today: list[OpenIntervalView]
    open_now: bool
    open_later_today: bool
    taking_orders: bool
    wait_seconds: int | None
    distance_m: int | None
    rating: RatingView | None = None

    @classmethod
    def of(cls, front: TruckFront) -> PublicTruckView:
        return cls(
            id=front.truck.id,
            name=front.truck.name,
            location=PublicLocationView.of(front.location) if front.location else None,
            hours_today=[OpenIntervalView.of(span) for span in front.hours_today],
            open_now=front.open_now,
            open_later_today=front.open_later_today,
            taking_orders=front.taking_orders,
            wait_seconds=None if front.wait is None else math.ceil(front.wait.total_seconds()),
            distance_m=front.distance_m,
            rating=RatingView.of(front.rating) if front.rating else None,
        )


class PublicTruckPage(PageView, frozen=True, kw_only=True):
    items: list[PublicTruckView]
    view = PublicTruckView.of


class PublicMenuItemView(msgspec.Struct, frozen=True, kw_only=True):
    """``price_cents`` is this truck's price; ``available_from`` says when an item outside
    its availability windows can next be ordered; ``special``: this shift only;
    ``rating``: of the reviews of orders that held it, on this truck."""

    id: UUID
    name: str
    description: str
    price_cents: int
    tags: list[str]
    image_url: str | None
    sold_out: bool
    available: bool
    available_from: UtcDateTime | None
    special: bool
    modifier_groups: list[ModifierGroupView]
    rating: RatingView

    @classmethod
    def of(cls, entry: MenuEntry, ratings: TruckRatings) -> PublicMenuItemView:
        item = entry.item
        return cls(
            id=item.id,
            name=item.name,
            description=item.description,
            price_cents=item.price_cents,
            tags=list(item.tags),
            image_url=item.image_url,
            sold_out=entry.sold_out,
            available=entry.available,
            available_from=entry.available_from,
            special=entry.special,
            modifier_groups=[ModifierGroupView.of(group) for group in entry.modifier_groups],
            rating=RatingView.of(ratings.items.get(item.id, Rating())),
        )


class PublicMenuCategoryView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    items: list[PublicMenuItemView]

    @classmethod
    def of(cls, section: MenuSection, ratings: TruckRatings) -> PublicMenuCategoryView:
        return cls(
            id=section.category.id,
            name=section.category.name,
            items=[PublicMenuItemView.of(entry, ratings) for entry in section.entries],
        )


class PublicMenuView(msgspec.Struct, frozen=True, kw_only=True):
    """Categories and items in display order, availability judged in the location's
    ``timezone``. An item with nothing left is ``sold_out``. ``rating``: the truck's."""

    truck_id: UUID
    timezone: str
    categories: list[PublicMenuCategoryView]
    rating: RatingView

    @classmethod
    def of(cls, truck_id: UUID, public: PublicMenu) -> PublicMenuView:
        return cls(
            truck_id=truck_id,
            timezone=public.menu.timezone,
            categories=[PublicMenuCategoryView.of(s, public.ratings) for s in public.menu.sections],
            rating=RatingView.of(public.ratings.truck),
        )
