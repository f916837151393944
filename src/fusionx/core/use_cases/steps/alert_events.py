"""Which events are worth telling someone about, and what the message says."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.events import EventType, ShiftEvent
from fusionx.core.model.notifications import AlertKind, Message
from fusionx.core.model.shifts import Shift, ShiftState
from fusionx.core.rules.alerts import DEFAULT_LOW_STOCK_THRESHOLD, crossed_low_stock
from fusionx.ports.unit_of_work import UnitOfWork

HANDLED = frozenset(
    {
        EventType.ORDER_CREATED,
        EventType.STOCK_CHANGED,
        EventType.ITEM_SOLD_OUT,
        EventType.DEVICE_STALE,
    }
)


class Alert(msgspec.Struct, frozen=True, kw_only=True):
    """One thing to tell, before it is addressed to anyone."""

    shift: Shift
    at: datetime
    kind: AlertKind
    message: Message


class _Line(msgspec.Struct):
    quantity: int


class _Order(msgspec.Struct):
    id: UUID
    number: int
    lines: list[_Line]
    customer_name: str | None = None


class _OrderCreated(msgspec.Struct):
    order: _Order


class _StockChanged(msgspec.Struct):
    item_id: UUID
    delta: int
    on_hand: int


class _ItemEvent(msgspec.Struct):
    item_id: UUID


class _DeviceEvent(msgspec.Struct):
    device_id: UUID


Thresholds = Mapping[UUID, int | None]


async def thresholds_for(
    uow: UnitOfWork, shift_id: UUID, events: Sequence[ShiftEvent]
) -> Thresholds:
    """The low-stock thresholds of every item whose stock ``events`` change on the
    shift, read at once for all of them (an order of three lines is three changes)."""
    items = set()
    for event in events:
        if event.type is EventType.STOCK_CHANGED and event.shift_id == shift_id:
            try:
                items.add(msgspec.convert(event.data, _ItemEvent).item_id)
            except msgspec.ValidationError:
                continue
    return await uow.stock_thresholds.for_shift(shift_id, items) if items else {}


async def alert_for(
    uow: UnitOfWork, shift: Shift, event: ShiftEvent, thresholds: Thresholds
) -> Alert | None:
    """The alert ``event`` raises, if any; ``thresholds`` from ``thresholds_for``. An
    event whose data we cannot read (written by a newer release, say) raises none
    rather than block the change it records."""
    try:
        message = await _message(uow, shift, event, thresholds)
    except msgspec.ValidationError:
        return None
    if message is None:
        return None
    return Alert(shift=shift, at=event.at, kind=message[0], message=message[1])


async def _message(
    uow: UnitOfWork, shift: Shift, event: ShiftEvent, thresholds: Thresholds
) -> tuple[AlertKind, Message] | None:
    data = {"shift_id": str(shift.id)}
    if event.type is EventType.ORDER_CREATED and shift.state is ShiftState.OPEN:
        order = msgspec.convert(event.data, _OrderCreated).order
        count = sum(line.quantity for line in order.lines)
        who = f" for {order.customer_name}" if order.customer_name else ""
        return AlertKind.NEW_ORDER, Message(
            title=f"New order #{order.number}",
            body=f"{count} item{'s' if count != 1 else ''}{who}",
            data=data | {"order_id": str(order.id)},
        )
    if event.type is EventType.STOCK_CHANGED:
        change = msgspec.convert(event.data, _StockChanged)
        threshold = thresholds.get(change.item_id)
        threshold = DEFAULT_LOW_STOCK_THRESHOLD if threshold is None else threshold
        if not crossed_low_stock(change.on_hand - change.delta, change.on_hand, threshold):
            return None
        return AlertKind.LOW_STOCK, Message(
            title=f"{await _item_name(uow, change.item_id)} is running low",
            body=f"{change.on_hand} left (alert at {threshold}).",
            data=data | {"item_id": str(change.item_id)},
            collapse_key=f"stock-{change.item_id}",
        )
    if event.type is EventType.ITEM_SOLD_OUT:
        item_id = msgspec.convert(event.data, _ItemEvent).item_id
        return AlertKind.SOLD_OUT, Message(
            title=f"{await _item_name(uow, item_id)} is sold out",
            body="It is off the menu until restocked.",
            data=data | {"item_id": str(item_id)},
            collapse_key=f"stock-{item_id}",
        )
    if event.type is EventType.DEVICE_STALE and shift.state is not ShiftState.CLOSED:
        device_id = msgspec.convert(event.data, _DeviceEvent).device_id
        device = await uow.devices.get(device_id)
        return AlertKind.DEVICE_STALE, Message(
            title=f"{device.label if device else 'A kitchen device'} stopped responding",
            body="No heartbeat from this kitchen device: check it is on and online.",
            data=data | {"device_id": str(device_id)},
            collapse_key=f"device-{device_id}",
        )
    return None


async def _item_name(uow: UnitOfWork, item_id: UUID) -> str:
    item = (await uow.menu.items_by_id([item_id])).get(item_id)
    return item.name if item is not None else "An item"
