from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import InvalidInput, NotFound
from fusionx.core.model.actors import actor_of
from fusionx.core.model.fleet_events import StockThresholdSet, Stream
from fusionx.core.model.menu import MenuItem
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role
from fusionx.core.rules.access import require_staff
from fusionx.core.rules.alerts import MAX_THRESHOLD
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.shift_menu import item_of_shift
from fusionx.core.use_cases.steps.shift_scope import require_not_closed, shift_in_scope
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class ShiftThresholdRequest(msgspec.Struct, frozen=True, kw_only=True):
    shift_id: UUID
    item_id: UUID
    threshold: int | None  # None: back to the item's default


class ItemThresholdRequest(msgspec.Struct, frozen=True, kw_only=True):
    item_id: UUID
    threshold: int | None  # None: back to the fleet default


class SetStockThreshold:
    """Set the stock level at or below which staff are told an item is running low.

    Rules:
    - a menu item's default is set by an admin or owner (the menu is the fleet's);
    - a shift's own threshold for an item on its truck's menu (another truck's item is
      not found) is set by a manager of its truck, while the shift is not closed, and
      wins over the item's default;
    - thresholds are 0 (told only when sold out) to 10 000;
    - every setting is ``stock.threshold_set`` on the fleet streams (the audit trail),
      with the threshold in force before and after: on the shift's truck's stream for a
      shift's own, on the item's (its truck's, or the fleet's) for a default.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def for_shift(self, principal: Principal, request: ShiftThresholdRequest) -> None:
        if request.threshold is not None:
            _check(request.threshold)
        async with self._uow as uow:
            shift = await shift_in_scope(uow, principal, request.shift_id)
            actor = actor_of(require_staff(principal, Role.MANAGER))
            require_not_closed(shift)
            await item_of_shift(uow, shift, request.item_id)
            items = {request.item_id}
            before = (await uow.stock_thresholds.for_shift(shift.id, items))[request.item_id]
            await uow.stock_thresholds.set_for_shift(shift.id, request.item_id, request.threshold)
            after = (await uow.stock_thresholds.for_shift(shift.id, items))[request.item_id]
            changed = StockThresholdSet(
                item_id=request.item_id, shift_id=shift.id, before=before, after=after
            )
            await log_fleet_event(
                uow, Stream.truck(shift.truck_id), self._clock.now(), actor, changed
            )
            await uow.commit()

    async def for_item(self, principal: Principal, request: ItemThresholdRequest) -> None:
        actor = actor_of(require_staff(principal, Role.ADMIN))
        if request.threshold is not None:
            _check(request.threshold)
        async with self._uow as uow:
            item = await _require_item(uow, request.item_id)
            before = await uow.stock_thresholds.item_default(request.item_id)
            await uow.stock_thresholds.set_item_default(request.item_id, request.threshold)
            changed = StockThresholdSet(
                item_id=request.item_id, shift_id=None, before=before, after=request.threshold
            )
            stream = Stream.of(item.truck_id)
            await log_fleet_event(uow, stream, self._clock.now(), actor, changed)
            await uow.commit()


def _check(threshold: int) -> None:
    if not 0 <= threshold <= MAX_THRESHOLD:
        raise InvalidInput("threshold", f"must be 0 to {MAX_THRESHOLD}")


async def _require_item(uow: UnitOfWork, item_id: UUID) -> MenuItem:
    item = (await uow.menu.items_by_id([item_id])).get(item_id)
    if item is None:
        raise NotFound("menu item", item_id)
    return item
