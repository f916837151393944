from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.fleet_events import MenuItemChanged
from fusionx.core.model.menu import AvailabilityWindow, MenuItem
from fusionx.core.model.principals import Principal
from fusionx.core.rules.menu_access import require_menu_editor
from fusionx.core.rules.menu_values import clean_tags, require_price, require_url, require_windows
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.menu_scope import (
    category_in_scope,
    commit_menu_change,
    groups_in_scope,
    item_in_scope,
    require_same_scope,
)
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork

Unset = msgspec.UnsetType
UNSET = msgspec.UNSET


class ChangeItemRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Only the fields given change. ``active`` false archives the item."""

    item_id: UUID
    name: str | Unset = UNSET
    price_cents: int | Unset = UNSET
    description: str | Unset = UNSET
    category_id: UUID | Unset = UNSET
    tags: tuple[str, ...] | Unset = UNSET
    image_url: str | Unset | None = UNSET
    modifier_group_ids: tuple[UUID, ...] | Unset = UNSET
    availability: tuple[AvailabilityWindow, ...] | Unset = UNSET
    active: bool | Unset = UNSET


class ChangeMenuItem:
    """Change an item, or archive it (``active`` false) and bring it back.

    Rules: as for adding it, by whoever may edit its scope. Archiving takes it off
    every menu; past orders keep their own copy of its name and price.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, request: ChangeItemRequest) -> MenuItem:
        changes = _checked_changes(request)
        async with self._uow as uow:
            item = await item_in_scope(uow, principal, request.item_id)
            require_menu_editor(principal, item.truck_id)
            if request.category_id is not UNSET and request.category_id != item.category_id:
                category = await category_in_scope(
                    uow, principal, request.category_id, field="category_id"
                )
                require_same_scope("category_id", category, item.truck_id)
                changes["category_id"] = category.id
            if request.modifier_group_ids is not UNSET:
                changes["modifier_group_ids"] = await groups_in_scope(
                    uow, principal, request.modifier_group_ids, item.truck_id
                )
            changed = msgspec.structs.replace(item, **changes)
            await uow.menu.update_item(changed)
            event = MenuItemChanged(before=item, after=changed)
            await commit_menu_change(
                uow, principal, event, changed.truck_id, self._clock.now(), "item"
            )
        return changed


def _checked_changes(request: ChangeItemRequest) -> dict[str, object]:
    changes: dict[str, object] = {}
    if request.name is not UNSET:
        changes["name"] = require_text("name", request.name, max_length=100)
    if request.price_cents is not UNSET:
        changes["price_cents"] = require_price("price_cents", request.price_cents)
    if request.description is not UNSET:
        changes["description"] = request.description.strip()[:1000]
    if request.tags is not UNSET:
        changes["tags"] = clean_tags(request.tags)
    if request.image_url is not UNSET:
        changes["image_url"] = require_url("image_url", request.image_url)
    if request.availability is not UNSET:
        changes["availability"] = require_windows(request.availability)
    if request.active is not UNSET:
        changes["active"] = request.active
    return changes
