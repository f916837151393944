from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import InvalidInput, NotFound
from fusionx.core.messages import Message
from fusionx.core.model.fleet_events import MenuCategoryAdded, MenuItemAdded, Stream
from fusionx.core.model.menu import MenuCategory, MenuItem
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork

MAX_PRICE_CENTS = 1_000_000


class CreateCategoryRequest(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    display_order: int = 0


class CreateItemRequest(msgspec.Struct, frozen=True, kw_only=True):
    category_id: UUID
    name: str
    price_cents: int
    display_order: int = 0
    description: str = ""


class CreateMenuEntries:
    """Add categories and items to the fleet menu (CLI and seed; the API comes later).

    Rules: names are non-empty; prices are whole cents from 0 to 10,000.00; an item
    belongs to an existing category.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def category(self, request: CreateCategoryRequest) -> MenuCategory:
        category = MenuCategory(
            id=self._ids.new_id(),
            name=require_text("name", request.name, max_length=100),
            display_order=request.display_order,
            created_at=self._clock.now(),
        )
        async with self._uow as uow:
            await uow.menu.add_category(category)
            added = MenuCategoryAdded(category=category)
            await log_fleet_event(uow, Stream.fleet(), category.created_at, None, added)
            await uow.commit()
        return category

    async def item(self, request: CreateItemRequest) -> MenuItem:
        if not 0 <= request.price_cents <= MAX_PRICE_CENTS:
            raise InvalidInput(
                "price_cents", Message("input.cents_range", {"high": MAX_PRICE_CENTS})
            )
        item = MenuItem(
            id=self._ids.new_id(),
            category_id=request.category_id,
            name=require_text("name", request.name, max_length=100),
            description=request.description.strip()[:1000],
            price_cents=request.price_cents,
            display_order=request.display_order,
            created_at=self._clock.now(),
        )
        async with self._uow as uow:
            if request.category_id not in {c.id for c in await uow.menu.categories()}:
                raise NotFound("menu category", request.category_id)
            await uow.menu.add_item(item)
            await log_fleet_event(
                uow, Stream.fleet(), item.created_at, None, MenuItemAdded(item=item)
            )
            await uow.commit()
        return item
