from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.fleet_events import ModifierGroupAdded
from fusionx.core.model.menu import ModifierGroup, ModifierOption
from fusionx.core.model.principals import Principal
from fusionx.core.rules.menu_access import require_menu_editor
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.menu_scope import commit_menu_change
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork

MAX_OPTIONS = 30
MAX_DELTA_CENTS = 100_000


class OptionRequest(msgspec.Struct, frozen=True, kw_only=True):
    """``id`` keeps an existing option of the group (when changing it); none: a new one."""

    name: str
    price_delta_cents: int = 0
    id: UUID | None = None


class AddModifierGroupRequest(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    options: tuple[OptionRequest, ...]
    min_choices: int = 0
    max_choices: int = 1
    truck_id: UUID | None = None


class AddModifierGroup:
    """Add a modifier group (size, extras…) that items may then offer.

    Rules: fleet groups by owners and admins, a truck's own by its managers; 1 to 30
    options with distinct names, each with a price delta within ±1,000.00 (a smaller
    size may cost less); 0 <= min <= max <= number of options, max at least 1. A group
    with a minimum is required.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(
        self, principal: Principal, request: AddModifierGroupRequest
    ) -> ModifierGroup:
        require_menu_editor(principal, request.truck_id)
        options = build_options(request.options, self._ids)
        require_choice_bounds(request.min_choices, request.max_choices, len(options))
        group = ModifierGroup(
            id=self._ids.new_id(),
            name=require_text("name", request.name, max_length=100),
            min_choices=request.min_choices,
            max_choices=request.max_choices,
            options=options,
            created_at=self._clock.now(),
            truck_id=request.truck_id,
        )
        async with self._uow as uow:
            await require_truck_exists(uow, request.truck_id)
            await uow.menu.add_modifier_group(group)
            event = ModifierGroupAdded(group=group)
            await commit_menu_change(uow, principal, event, group.truck_id, group.created_at, None)
        return group


def require_choice_bounds(min_choices: int, max_choices: int, options: int) -> None:
    if not 0 <= min_choices <= max_choices:
        raise InvalidInput("min_choices", Message("menu.min_choices"))
    if not 1 <= max_choices <= options:
        raise InvalidInput("max_choices", Message("menu.max_choices", {"high": options}))


def build_options(
    requested: tuple[OptionRequest, ...],
    ids: IdGenerator,
    existing: tuple[ModifierOption, ...] = (),
) -> tuple[ModifierOption, ...]:
    """The options as requested: named once each, deltas within bounds, existing ids kept."""
    if not 1 <= len(requested) <= MAX_OPTIONS:
        raise InvalidInput("options", Message("menu.options_count", {"high": MAX_OPTIONS}))
    known = {option.id for option in existing}
    options: list[ModifierOption] = []
    names: set[str] = set()
    for index, option in enumerate(requested):
        name = require_text(f"options[{index}].name", option.name, max_length=100)
        if name.lower() in names:
            raise InvalidInput(f"options[{index}].name", Message("menu.option_exists"))
        if abs(option.price_delta_cents) > MAX_DELTA_CENTS:
            raise InvalidInput(
                f"options[{index}].price_delta_cents",
                Message("input.within", {"high": MAX_DELTA_CENTS}),
            )
        if option.id is not None and option.id not in known:
            raise InvalidInput(f"options[{index}].id", Message("menu.not_an_option_of_group"))
        names.add(name.lower())
        known.discard(option.id)  # each existing option is kept once
        options.append(
            ModifierOption(
                id=option.id or ids.new_id(), name=name, price_delta_cents=option.price_delta_cents
            )
        )
    return tuple(options)
