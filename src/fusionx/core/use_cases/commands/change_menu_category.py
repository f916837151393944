from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.fleet_events import MenuCategoryChanged
from fusionx.core.model.menu import AvailabilityWindow, MenuCategory
from fusionx.core.model.principals import Principal
from fusionx.core.rules.menu_access import require_menu_editor
from fusionx.core.rules.menu_values import require_windows
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.menu_scope import category_in_scope, commit_menu_change
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class ChangeCategoryRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Only the fields given change."""

    category_id: UUID
    name: str | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET
    availability: tuple[AvailabilityWindow, ...] | msgspec.UnsetType = msgspec.UNSET


class ChangeMenuCategory:
    """Rename a category, hide it (``active`` false) or set its availability windows.

    Rules: whoever may edit its scope (fleet or truck); others see no such category.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, request: ChangeCategoryRequest) -> MenuCategory:
        changes: dict[str, object] = {}
        if request.name is not msgspec.UNSET:
            changes["name"] = require_text("name", request.name, max_length=100)
        if request.active is not msgspec.UNSET:
            changes["active"] = request.active
        if request.availability is not msgspec.UNSET:
            changes["availability"] = require_windows(request.availability)
        async with self._uow as uow:
            category = await category_in_scope(uow, principal, request.category_id)
            require_menu_editor(principal, category.truck_id)
            changed = msgspec.structs.replace(category, **changes)
            await uow.menu.update_category(changed)
            event = MenuCategoryChanged(before=category, after=changed)
            await commit_menu_change(
                uow, principal, event, changed.truck_id, self._clock.now(), "category"
            )
        return changed
