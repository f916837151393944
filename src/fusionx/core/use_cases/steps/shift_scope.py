"""Steps several shift use cases share: finding a shift the caller may touch, and
writing to its event log."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from fusionx.core.errors import Conflict, NotFound
from fusionx.core.messages import Message
from fusionx.core.model.actors import Actor
from fusionx.core.model.events import (
    ItemBackInStock,
    ItemSoldOut,
    NewEvent,
    ShiftEventData,
    StockChanged,
)
from fusionx.core.model.principals import Principal
from fusionx.core.model.shifts import Shift, ShiftState
from fusionx.core.model.stock import StockMovement, StockReason
from fusionx.core.rules.access import can_act_on_truck
from fusionx.ports.unit_of_work import UnitOfWork


async def shift_in_scope(
    uow: UnitOfWork, principal: Principal, shift_id: UUID, *, for_update: bool = False
) -> Shift:
    """The shift, if it exists and belongs to a truck the caller may act on; else 404."""
    shifts = uow.shifts
    shift = await (shifts.get_for_update(shift_id) if for_update else shifts.get(shift_id))
    if shift is None or not can_act_on_truck(principal, shift.truck_id):
        raise NotFound("shift", shift_id)
    return shift


def require_not_closed(shift: Shift) -> None:
    if shift.state is ShiftState.CLOSED:
        raise Conflict(Message("shift.closed"), shift_id=str(shift.id), state=shift.state.value)


async def log_event(uow: UnitOfWork, shift_id: UUID, at: datetime, data: ShiftEventData) -> None:
    """Append ``data`` to the shift's log in this unit of work."""
    await uow.events.append(NewEvent(shift_id=shift_id, at=at, data=data))


async def restock(
    uow: UnitOfWork,
    *,
    movement_id: UUID,
    shift_id: UUID,
    item_id: UUID,
    quantity: int,
    actor: Actor,
    at: datetime,
    note: str,
) -> None:
    """Put ``quantity`` of an item on the shift's shelf: a ledger row and its events."""
    stocked = await uow.stock.adjust(
        StockMovement(
            id=movement_id,
            shift_id=shift_id,
            item_id=item_id,
            delta=quantity,
            on_hand_after=0,
            reason=StockReason.RESTOCK,
            actor=actor,
            at=at,
            note=note,
        )
    )
    if stocked is not None:
        await log_stock_movement(uow, stocked)


async def log_stock_movement(uow: UnitOfWork, movement: StockMovement) -> None:
    """stock.changed, plus sold_out or back_in_stock when the level crosses zero."""
    changed = StockChanged(
        item_id=movement.item_id,
        delta=movement.delta,
        on_hand=movement.on_hand_after,
        reason=movement.reason,
        order_id=movement.order_id,
    )
    await log_event(uow, movement.shift_id, movement.at, changed)
    crossing: ItemSoldOut | ItemBackInStock
    if changed.on_hand == 0 and changed.on_hand_before > 0:
        crossing = ItemSoldOut(item_id=movement.item_id)
    elif changed.on_hand > 0 and changed.on_hand_before == 0:
        crossing = ItemBackInStock(item_id=movement.item_id)
    else:
        return
    await log_event(uow, movement.shift_id, movement.at, crossing)
