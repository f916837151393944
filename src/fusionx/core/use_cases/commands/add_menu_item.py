from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.fleet_events import MenuItemAdded
from fusionx.core.model.menu import AvailabilityWindow, MenuItem
from fusionx.core.model.principals import Principal
from fusionx.core.rules.menu_access import require_menu_editor
from fusionx.core.rules.menu_values import clean_tags, require_price, require_url, require_windows
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.menu_scope import (
    category_in_scope,
    commit_menu_change,
    groups_in_scope,
    require_same_scope,
)
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


class AddItemRequest(msgspec.Struct, frozen=True, kw_only=True):
    category_id: UUID
    name: str
    price_cents: int
    description: str = ""
    tags: tuple[str, ...] = ()
    image_url: str | None = None
    modifier_group_ids: tuple[UUID, ...] = ()
    availability: tuple[AvailabilityWindow, ...] = ()
    truck_id: UUID | None = None


class AddMenuItem:
    """Add an item to a category, last in its display order.

    Rules: a fleet item (no ``truck_id``) is added by owners and admins, a truck's own
    by its managers, into a fleet category or one of that truck's; whole cents from 0
    to 10,000.00; tags are trimmed and lower-cased; the image is an https URL; the
    modifier groups are the fleet's or the truck's own.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal, request: AddItemRequest) -> MenuItem:
        require_menu_editor(principal, request.truck_id)
        name = require_text("name", request.name, max_length=100)
        price = require_price("price_cents", request.price_cents)
        tags = clean_tags(request.tags)
        image_url = require_url("image_url", request.image_url)
        availability = require_windows(request.availability)
        async with self._uow as uow:
            await require_truck_exists(uow, request.truck_id)
            category = await category_in_scope(
                uow, principal, request.category_id, field="category_id"
            )
            require_same_scope("category_id", category, request.truck_id)
            groups = await groups_in_scope(
                uow, principal, request.modifier_group_ids, request.truck_id
            )
            siblings = [
                i.display_order for i in await uow.menu.items() if i.category_id == category.id
            ]
            item = MenuItem(
                id=self._ids.new_id(),
                category_id=category.id,
                name=name,
                price_cents=price,
                display_order=max(siblings, default=0) + 1,
                created_at=self._clock.now(),
                description=request.description.strip()[:1000],
                tags=tags,
                image_url=image_url,
                modifier_group_ids=groups,
                availability=availability,
                truck_id=request.truck_id,
            )
            await uow.menu.add_item(item)
            event = MenuItemAdded(item=item)
            await commit_menu_change(uow, principal, event, item.truck_id, item.created_at, "item")
        return item
