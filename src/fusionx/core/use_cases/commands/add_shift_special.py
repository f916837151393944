from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.model.actors import actor_of
from fusionx.core.model.events import MenuChanged
from fusionx.core.model.fleet_events import MenuItemAdded, Stream
from fusionx.core.model.menu import MenuItem
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role
from fusionx.core.rules.access import require_staff
from fusionx.core.rules.menu_values import clean_tags, require_price
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.commands.adjust_stock import MAX_STOCK
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.menu_scope import (
    category_in_scope,
    groups_in_scope,
    require_same_scope,
)
from fusionx.core.use_cases.steps.shift_scope import (
    log_event,
    require_not_closed,
    restock,
    shift_in_scope,
)
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


class AddSpecialRequest(msgspec.Struct, frozen=True, kw_only=True):
    shift_id: UUID
    category_id: UUID
    name: str
    price_cents: int
    stock: int
    description: str = ""
    tags: tuple[str, ...] = ()
    modifier_group_ids: tuple[UUID, ...] = ()


class AddShiftSpecial:
    """Put a special on one shift's menu: an item that exists for that shift only.

    Rules: managers of the shift's truck (or fleet-wide staff); the shift is not closed;
    the category is the fleet's or the truck's; the special starts with its own stock
    (1 to 100,000), recorded as a restock in the ledger and an event, like any other;
    the special is ``menu.item_added`` on the truck's fleet stream (the audit trail).
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal, request: AddSpecialRequest) -> MenuItem:
        if not 1 <= request.stock <= MAX_STOCK:
            raise InvalidInput("stock", f"must be 1 to {MAX_STOCK}")
        name = require_text("name", request.name, max_length=100)
        price = require_price("price_cents", request.price_cents)
        tags = clean_tags(request.tags)
        now = self._clock.now()
        async with self._uow as uow:
            shift = await shift_in_scope(uow, principal, request.shift_id)
            manager = require_staff(principal, Role.MANAGER)
            require_not_closed(shift)
            category = await category_in_scope(
                uow, principal, request.category_id, field="category_id"
            )
            require_same_scope("category_id", category, shift.truck_id)
            groups = await groups_in_scope(
                uow, principal, request.modifier_group_ids, shift.truck_id
            )
            special = MenuItem(
                id=self._ids.new_id(),
                category_id=category.id,
                name=name,
                price_cents=price,
                display_order=0,  # specials lead their category
                created_at=now,
                description=request.description.strip()[:1000],
                tags=tags,
                modifier_group_ids=groups,
                truck_id=shift.truck_id,
                shift_id=shift.id,
            )
            await uow.menu.add_item(special)
            await log_event(uow, shift.id, now, MenuChanged(what="special"))
            stream = Stream.truck(shift.truck_id)
            added = MenuItemAdded(item=special)
            await log_fleet_event(uow, stream, now, actor_of(manager), added)
            await restock(
                uow,
                movement_id=self._ids.new_id(),
                shift_id=shift.id,
                item_id=special.id,
                quantity=request.stock,
                actor=actor_of(manager),
                at=now,
                note="special",
            )
            await uow.commit()
        return special
