"""Checking the modifiers chosen for an order line against the item's groups."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.menu import ModifierGroup
from fusionx.core.model.orders import ChosenModifier


def choose_modifiers(
    field: str, groups: Sequence[ModifierGroup], option_ids: Sequence[UUID]
) -> tuple[ChosenModifier, ...]:
    """The chosen options, in the item's group order, or 422 naming what is wrong.

    Each option belongs to one of the item's groups and is chosen once; each group gets
    between its minimum and maximum choices (so a required group cannot be skipped).
    """
    if len(set(option_ids)) != len(option_ids):
        raise InvalidInput(field, Message("menu.option_twice"))
    owners = {option.id: group for group in groups for option in group.options}
    for index, option_id in enumerate(option_ids):
        if option_id not in owners:
            raise InvalidInput(f"{field}[{index}]", Message("menu.not_an_option_of_item"))
    chosen: list[ChosenModifier] = []
    for group in groups:
        picked = [o for o in group.options if o.id in set(option_ids)]
        if not group.min_choices <= len(picked) <= group.max_choices:
            raise InvalidInput(field, _choose(group))
        chosen.extend(
            ChosenModifier(
                group_id=group.id,
                option_id=option.id,
                name=option.name,
                price_delta_cents=option.price_delta_cents,
            )
            for option in picked
        )
    return tuple(chosen)


def _choose(group: ModifierGroup) -> Message:
    if group.min_choices == group.max_choices:
        return Message("menu.choose_exactly", {"group": group.name, "count": group.min_choices})
    return Message(
        "menu.choose_between",
        {"group": group.name, "low": group.min_choices, "high": group.max_choices},
    )
