from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import Conflict, InvalidInput
from fusionx.core.model.actors import actor_of
from fusionx.core.model.fleet_events import StockAdjusted, Stream
from fusionx.core.model.principals import Principal
from fusionx.core.model.stock import ADJUSTMENT_REASONS, StockMovement, StockReason
from fusionx.core.rules.access import require_staff
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.shift_menu import item_of_shift
from fusionx.core.use_cases.steps.shift_scope import (
    log_stock_movement,
    require_not_closed,
    shift_in_scope,
)
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork

MAX_STOCK = 100_000


class AdjustStockRequest(msgspec.Struct, frozen=True, kw_only=True):
    shift_id: UUID
    item_id: UUID
    reason: StockReason
    delta: int | None = None
    count: int | None = None
    note: str | None = None


class AdjustStock:
    """Record a stock adjustment for a shift: a restock, waste, a count or a correction.

    Rules:
    - staff of the shift's truck; the shift is not closed; the item is on the truck's
      menu (another truck's item is not found, as if it did not exist);
    - a physical ``count`` gives the absolute number on hand (and only a count does);
      every other reason gives a non-zero ``delta`` of its sign: a restock adds, waste
      takes away, a correction goes either way;
    - stock never goes below zero: such an adjustment is refused with what is on hand.
      A count sets the number whatever it was;
    - every adjustment is a ledger row with its actor, and an event on the shift
      (plus sold-out or back-in-stock when it crosses zero), and ``stock.adjusted`` on
      the truck's fleet stream (the audit trail) with the level before and after.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal, request: AdjustStockRequest) -> StockMovement:
        self._check_shape(request)
        note = require_text("note", request.note, max_length=500) if request.note else None
        async with self._uow as uow:
            shift = await shift_in_scope(uow, principal, request.shift_id)
            staff = require_staff(principal)
            require_not_closed(shift)
            await item_of_shift(uow, shift, request.item_id)
            movement = StockMovement(
                id=self._ids.new_id(),
                shift_id=shift.id,
                item_id=request.item_id,
                delta=request.delta or 0,
                on_hand_after=0,
                reason=request.reason,
                actor=actor_of(staff),
                at=self._clock.now(),
                note=note,
            )
            if request.count is not None:
                recorded = await uow.stock.set_count(movement, request.count)
            else:
                adjusted = await uow.stock.adjust(movement)
                if adjusted is None:
                    on_hand = (await uow.stock.levels(shift.id)).get(request.item_id, 0)
                    raise Conflict(
                        f"Only {on_hand} on hand: stock cannot go below zero",
                        item_id=str(request.item_id),
                        on_hand=on_hand,
                    )
                recorded = adjusted
            await log_stock_movement(uow, recorded)
            adjusted_event = StockAdjusted(
                truck_id=shift.truck_id,
                movement=recorded,
                before=recorded.on_hand_after - recorded.delta,
            )
            stream = Stream.truck(shift.truck_id)
            await log_fleet_event(uow, stream, recorded.at, recorded.actor, adjusted_event)
            await uow.commit()
        return recorded

    @staticmethod
    def _check_shape(request: AdjustStockRequest) -> None:
        if request.reason not in ADJUSTMENT_REASONS:
            raise InvalidInput("reason", "must be restock, waste, count or correction")
        if request.reason is StockReason.COUNT:
            if request.count is None or request.delta is not None:
                raise InvalidInput("count", "a count gives the absolute number, not a delta")
            if not 0 <= request.count <= MAX_STOCK:
                raise InvalidInput("count", f"must be 0 to {MAX_STOCK}")
            return
        if request.count is not None or not request.delta:
            raise InvalidInput("delta", "must be a non-zero change (only a count sets a number)")
        if abs(request.delta) > MAX_STOCK:
            raise InvalidInput("delta", f"must be within ±{MAX_STOCK}")
        if not request.reason.allows(request.delta):
            sign = "positive" if request.delta < 0 else "negative"
            raise InvalidInput("delta", f"must be {sign} for {request.reason.value}")
