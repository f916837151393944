from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.fleet_events import MenuCategoryAdded
from fusionx.core.model.menu import AvailabilityWindow, MenuCategory
from fusionx.core.model.principals import Principal
from fusionx.core.rules.menu_access import require_menu_editor
from fusionx.core.rules.menu_values import require_windows
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.menu_scope import commit_menu_change
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


class AddCategoryRequest(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    truck_id: UUID | None = None
    availability: tuple[AvailabilityWindow, ...] = ()


class AddMenuCategory:
    """Add a category, last in display order.

    Rules: a fleet category (no ``truck_id``) is added by owners and admins, a truck's
    own by its managers; the name is not empty; availability windows have weekdays
    and an end different from their start.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal, request: AddCategoryRequest) -> MenuCategory:
        require_menu_editor(principal, request.truck_id)
        name = require_text("name", request.name, max_length=100)
        availability = require_windows(request.availability)
        async with self._uow as uow:
            await require_truck_exists(uow, request.truck_id)
            orders = [c.display_order for c in await uow.menu.categories()]
            category = MenuCategory(
                id=self._ids.new_id(),
                name=name,
                display_order=max(orders, default=0) + 1,
                created_at=self._clock.now(),
                availability=availability,
                truck_id=request.truck_id,
            )
            await uow.menu.add_category(category)
            event = MenuCategoryAdded(category=category)
            await commit_menu_change(
                uow, principal, event, category.truck_id, category.created_at, "category"
            )
        return category
