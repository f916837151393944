from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.actors import actor_of
from fusionx.core.model.fleet_events import Stream, TruckMenuSet
from fusionx.core.model.menu import TruckMenuEntry
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import require_operator
from fusionx.core.rules.menu_access import require_menu_editor
from fusionx.core.rules.menu_values import require_price
from fusionx.core.use_cases.commands.adjust_stock import MAX_STOCK
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.menu_scope import announce_menu_change
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class SetTruckMenu:
    """Choose which catalogue items a truck sells, and at what price there.

    Rules: the truck's managers (or fleet-wide staff); each entry is an item of the
    fleet catalogue named once, with an optional price of its own (0 to 10,000.00)
    and an optional opening stock (0 to 100,000) that each check-in starts with.
    The truck's own items and its specials are always on its menu. An empty list
    means the truck sells the whole catalogue at catalogue prices.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, principal: Principal, truck_id: UUID, entries: Sequence[TruckMenuEntry]
    ) -> list[TruckMenuEntry]:
        require_menu_editor(principal, truck_id)
        seen: set[UUID] = set()
        for index, entry in enumerate(entries):
            if entry.item_id in seen:
                raise InvalidInput(f"items[{index}].item_id", Message("menu.item_twice"))
            seen.add(entry.item_id)
            if entry.price_cents is not None:
                require_price(f"items[{index}].price_cents", entry.price_cents)
            if entry.opening_stock is not None and not 0 <= entry.opening_stock <= MAX_STOCK:
                raise InvalidInput(
                    f"items[{index}].opening_stock",
                    Message("input.range", {"low": 0, "high": MAX_STOCK}),
                )
        async with self._uow as uow:
            await require_truck_exists(uow, truck_id)
            items = await uow.menu.items_by_id(seen)
            for index, entry in enumerate(entries):
                item = items.get(entry.item_id)
                if item is None or item.truck_id is not None or item.shift_id is not None:
                    raise InvalidInput(f"items[{index}].item_id", Message("menu.not_fleet_item"))
            await uow.menu.set_truck_menu(truck_id, entries)
            now = self._clock.now()
            menu_set = TruckMenuSet(truck_id=truck_id, entries=tuple(entries))
            await log_fleet_event(
                uow, Stream.truck(truck_id), now, actor_of(require_operator(principal)), menu_set
            )
            await announce_menu_change(uow, truck_id, now, "selection")
            await uow.commit()
        return list(entries)
