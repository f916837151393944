"""Checking the modifiers chosen for an order line against the item's groups."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from fusionx.core.errors import InvalidInput
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
        raise InvalidInput(field, "names an option twice")
    owners = {option.id: group for group in groups for option in group.options}
    for index, option_id in enumerate(option_ids):
        if option_id not in owners:
            raise InvalidInput(f"{field}[{index}]", "is not an option of this item")
    chosen: list[ChosenModifier] = []
    for group in groups:
        picked = [o for o in group.options if o.id in set(option_ids)]
        if not group.min_choices <= len(picked) <= group.max_choices:
            raise InvalidInput(field, f"{group.name}: choose {_between(group)}")
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


def _between(group: ModifierGroup) -> str:
    if group.min_choices == group.max_choices:
        return str(group.min_choices)
    return f"{group.min_choices} to {group.max_choices}"
