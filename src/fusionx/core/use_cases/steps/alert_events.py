"""Which events are worth telling someone about, and what the message says."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.messages import Message
from fusionx.core.model.events import (
    DeviceStale,
    EventType,
    ItemSoldOut,
    OrderCreated,
    ShiftEvent,
    StockChanged,
)
from fusionx.core.model.notifications import AlertKind
from fusionx.core.model.shifts import Shift, ShiftState
from fusionx.core.rules.alerts import (
    DEFAULT_LOW_STOCK_THRESHOLD,
    MAX_THRESHOLD,
    crossed_low_stock,
)
from fusionx.ports.unit_of_work import UnitOfWork

HANDLED = frozenset(
    {
        EventType.ORDER_CREATED,
        EventType.STOCK_CHANGED,
        EventType.ITEM_SOLD_OUT,
        EventType.DEVICE_STALE,
    }
)


class AlertContent(msgspec.Struct, frozen=True, kw_only=True):
    """What an alert says, in no language yet: each recipient reads it in theirs."""

    title: Message
    body: Message
    data: dict[str, str]
    collapse_key: str | None = None


class Alert(msgspec.Struct, frozen=True, kw_only=True):
    """One thing to tell, before it is addressed to anyone."""

    shift: Shift
    at: datetime
    kind: AlertKind
    content: AlertContent


Thresholds = Mapping[UUID, int | None]


async def thresholds_for(
    uow: UnitOfWork, shift_id: UUID, events: Sequence[ShiftEvent]
) -> Thresholds:
    """The low-stock thresholds of every item whose stock ``events`` change on the
    shift, read at once for all of them (an order of three lines is three changes).

    Only of the changes that could cross one: no threshold is above ``MAX_THRESHOLD``,
    so a change leaving more than that on hand, or none, or more than before, crosses
    none, and a well-stocked item's sale reads nothing."""
    items = {
        event.data.item_id
        for event in events
        if isinstance(event.data, StockChanged)
        and event.shift_id == shift_id
        and _could_cross(event.data)
    }
    return await uow.stock_thresholds.for_shift(shift_id, items) if items else {}


def _could_cross(change: StockChanged) -> bool:
    """Whether ``crossed_low_stock`` holds for some threshold a truck may set."""
    return crossed_low_stock(
        change.on_hand_before, change.on_hand, min(MAX_THRESHOLD, change.on_hand)
    )


async def alert_for(
    uow: UnitOfWork, shift: Shift, event: ShiftEvent, thresholds: Thresholds
) -> Alert | None:
    """The alert ``event`` raises, if any; ``thresholds`` from ``thresholds_for``."""
    message = await _message(uow, shift, event, thresholds)
    if message is None:
        return None
    return Alert(shift=shift, at=event.at, kind=message[0], content=message[1])


async def _message(
    uow: UnitOfWork, shift: Shift, event: ShiftEvent, thresholds: Thresholds
) -> tuple[AlertKind, AlertContent] | None:
    data, kind = {"shift_id": str(shift.id)}, event.data
    if isinstance(kind, OrderCreated) and shift.state is ShiftState.OPEN:
        order = kind.order
        count = sum(line.quantity for line in order.lines)
        return AlertKind.NEW_ORDER, AlertContent(
            title=Message("alert.new_order.title", {"number": str(order.number)}),
            body=Message("alert.new_order.body_for", {"count": count, "customer": name})
            if (name := order.customer_name)
            else Message("alert.new_order.body", {"count": count}),
            data=data | {"order_id": str(order.id)},
        )
    if isinstance(kind, StockChanged):
        change = kind
        threshold = thresholds.get(change.item_id)
        threshold = DEFAULT_LOW_STOCK_THRESHOLD if threshold is None else threshold
        if not crossed_low_stock(change.on_hand_before, change.on_hand, threshold):
            return None
        return AlertKind.LOW_STOCK, AlertContent(
            title=await _about_item(uow, change.item_id, low=True),
            body=Message("alert.low_stock.body", {"count": change.on_hand, "threshold": threshold}),
            data=data | {"item_id": str(change.item_id)},
            collapse_key=f"stock-{change.item_id}",
        )
    if isinstance(kind, ItemSoldOut):
        item_id = kind.item_id
        return AlertKind.SOLD_OUT, AlertContent(
            title=await _about_item(uow, item_id, low=False),
            body=Message("alert.sold_out.body"),
            data=data | {"item_id": str(item_id)},
            collapse_key=f"stock-{item_id}",
        )
    if isinstance(kind, DeviceStale) and shift.state is not ShiftState.CLOSED:
        device_id = kind.device_id
        device = await uow.devices.get(device_id)
        return AlertKind.DEVICE_STALE, AlertContent(
            title=Message("alert.device_stale.title", {"device": device.label})
            if device
            else Message("alert.device_stale.title_unknown"),
            body=Message("alert.device_stale.body"),
            data=data | {"device_id": str(device_id)},
            collapse_key=f"device-{device_id}",
        )
    return None


async def _about_item(uow: UnitOfWork, item_id: UUID, *, low: bool) -> Message:
    """The title of a stock alert, naming the item when it still exists."""
    item = (await uow.menu.items_by_id([item_id])).get(item_id)
    if item is None:
        return Message("alert.low_stock.title_unknown" if low else "alert.sold_out.title_unknown")
    return Message("alert.low_stock.title" if low else "alert.sold_out.title", {"item": item.name})
