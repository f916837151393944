from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.fleet_events import ModifierGroupChanged
from fusionx.core.model.menu import ModifierGroup
from fusionx.core.model.principals import Principal
from fusionx.core.rules.menu_access import can_see_menu_entry, require_menu_editor
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.commands.add_modifier_group import (
    OptionRequest,
    build_options,
    require_choice_bounds,
)
from fusionx.core.use_cases.steps.menu_scope import commit_menu_change
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


class ChangeModifierGroupRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Only the fields given change; ``options`` replaces the whole list."""

    group_id: UUID
    name: str | msgspec.UnsetType = msgspec.UNSET
    options: tuple[OptionRequest, ...] | msgspec.UnsetType = msgspec.UNSET
    min_choices: int | msgspec.UnsetType = msgspec.UNSET
    max_choices: int | msgspec.UnsetType = msgspec.UNSET


class ChangeModifierGroup:
    """Rename a modifier group, change its options and prices, or its min and max.

    Rules: as for adding it, by whoever may edit its scope. Options named by ``id`` keep
    it (items and menus go on pointing at them); others are new; those left out are
    gone. Past orders keep their own copy of what was chosen.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(
        self, principal: Principal, request: ChangeModifierGroupRequest
    ) -> ModifierGroup:
        async with self._uow as uow:
            found = await uow.menu.modifier_groups([request.group_id])
            if not found or not can_see_menu_entry(principal, found[0].truck_id):
                raise NotFound("modifier group", request.group_id)
            group = found[0]
            require_menu_editor(principal, group.truck_id)
            changes: dict[str, object] = {}
            if request.name is not msgspec.UNSET:
                changes["name"] = require_text("name", request.name, max_length=100)
            options = group.options
            if request.options is not msgspec.UNSET:
                options = build_options(request.options, self._ids, group.options)
                changes["options"] = options
            low = group.min_choices if request.min_choices is msgspec.UNSET else request.min_choices
            high = (
                group.max_choices if request.max_choices is msgspec.UNSET else request.max_choices
            )
            require_choice_bounds(low, high, len(options))
            changed = msgspec.structs.replace(group, min_choices=low, max_choices=high, **changes)
            await uow.menu.update_modifier_group(changed)
            event = ModifierGroupChanged(before=group, after=changed)
            await commit_menu_change(
                uow, principal, event, changed.truck_id, self._clock.now(), "modifiers"
            )
        return changed
