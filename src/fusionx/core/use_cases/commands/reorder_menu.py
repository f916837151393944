from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.fleet_events import MenuReordered
from fusionx.core.model.menu import MenuCategory, MenuItem
from fusionx.core.model.principals import Principal
from fusionx.core.rules.menu_access import require_menu_editor
from fusionx.core.use_cases.steps.menu_scope import category_in_scope, commit_menu_change
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class ReorderMenu:
    """Set the whole display order of categories, or of the items in one category, at once.

    Rules: the list names every entry being ordered exactly once (the fleet's
    categories, or one truck's own; the items of a category, specials aside), so a
    screen never shows an order nobody chose; by whoever may edit that scope.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def categories(
        self, principal: Principal, ordered_ids: Sequence[UUID], truck_id: UUID | None = None
    ) -> list[MenuCategory]:
        require_menu_editor(principal, truck_id)
        async with self._uow as uow:
            await require_truck_exists(uow, truck_id)
            current = [c for c in await uow.menu.categories() if c.truck_id == truck_id]
            _require_exactly("category_ids", ordered_ids, {c.id for c in current})
            by_id = {c.id: c for c in current}
            reordered = [
                msgspec.structs.replace(by_id[category_id], display_order=position)
                for position, category_id in enumerate(ordered_ids, start=1)
            ]
            for category in reordered:
                await uow.menu.update_category(category)
            reorder = MenuReordered(
                category_id=None,
                before=tuple(c.id for c in sorted(current, key=lambda c: c.display_order)),
                after=tuple(ordered_ids),
            )
            await commit_menu_change(uow, principal, reorder, truck_id, self._clock.now(), "order")
        return reordered

    async def items(
        self, principal: Principal, category_id: UUID, ordered_ids: Sequence[UUID]
    ) -> list[MenuItem]:
        async with self._uow as uow:
            category = await category_in_scope(uow, principal, category_id)
            require_menu_editor(principal, category.truck_id)
            current = [
                i
                for i in await uow.menu.items()
                if i.category_id == category.id and i.shift_id is None
            ]
            _require_exactly("item_ids", ordered_ids, {i.id for i in current})
            by_id = {i.id: i for i in current}
            reordered = [
                msgspec.structs.replace(by_id[item_id], display_order=position)
                for position, item_id in enumerate(ordered_ids, start=1)
            ]
            for item in reordered:
                await uow.menu.update_item(item)
            reorder = MenuReordered(
                category_id=category.id,
                before=tuple(i.id for i in sorted(current, key=lambda i: i.display_order)),
                after=tuple(ordered_ids),
            )
            await commit_menu_change(
                uow, principal, reorder, category.truck_id, self._clock.now(), "order"
            )
        return reordered


def _require_exactly(field: str, ordered: Sequence[UUID], expected: set[UUID]) -> None:
    if len(set(ordered)) != len(ordered):
        raise InvalidInput(field, Message("input.named_twice"))
    unknown = [str(i) for i in ordered if i not in expected]
    if unknown:
        raise InvalidInput(field, Message("menu.not_in_list", {"ids": ", ".join(unknown)}))
    missing = len(expected) - len(ordered)
    if missing:
        raise InvalidInput(field, Message("menu.entries_missing", {"count": missing}))
