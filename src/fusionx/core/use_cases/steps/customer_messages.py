"""The messages an order's customer asked for (``notify`` on its tracking): its ticket
became ready. Planned by ``PlanNotifications`` in the transaction of the move."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from fusionx.core.messages import Message, Param
from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.events import ShiftEvent, TicketStateChanged
from fusionx.core.model.notifications import (
    AlertKind,
    AlertText,
    Channel,
    Notification,
    NotificationState,
)
from fusionx.core.model.tickets import TicketState
from fusionx.core.model.tracking import ContactChannel, OrderTracking
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.translator import Translator
from fusionx.ports.unit_of_work import UnitOfWork

_CHANNELS = {ContactChannel.SMS: Channel.SMS, ContactChannel.EMAIL: Channel.EMAIL}


def _became_ready(event: ShiftEvent) -> TicketStateChanged | None:
    """A ticket out of the kitchen for the first time: not a recall from the counter."""
    data = event.data
    if isinstance(data, TicketStateChanged) and data.to is TicketState.READY:
        return data if data.from_ is TicketState.IN_PREP else None
    return None


async def ready_messages(
    uow: UnitOfWork, events: Sequence[ShiftEvent], ids: IdGenerator, translator: Translator
) -> list[Notification]:
    """One message per order that became ready and whose customer opted in, by SMS or
    email (where their order said), in their language, to be sent with its tracking link
    (the dispatcher adds it: the token is never stored)."""
    ready = [(event, moved) for event in events if (moved := _became_ready(event))]
    if not ready:
        return []
    trackings = {
        t.order_id: t for t in await uow.tracking.for_orders([m.order_id for _, m in ready])
    }
    names: dict[UUID, tuple[UUID, str]] = {}
    planned = []
    for event, moved in ready:
        tracking = trackings.get(moved.order_id)
        if tracking is None or not tracking.reachable:
            continue
        if event.shift_id not in names:
            shift = await uow.shifts.get(event.shift_id)
            truck = await uow.trucks.get(shift.truck_id) if shift else None
            if shift is None or truck is None:
                continue
            names[event.shift_id] = (truck.id, truck.name)
        truck_id, truck_name = names[event.shift_id]
        planned.append(
            _message(tracking, event, moved, truck_id, truck_name, ids.new_id(), translator)
        )
    return planned


def _message(  # noqa: PLR0917 - one message's parts, all needed
    tracking: OrderTracking,
    event: ShiftEvent,
    moved: TicketStateChanged,
    truck_id: UUID,
    truck_name: str,
    notification_id: UUID,
    translator: Translator,
) -> Notification:
    assert tracking.channel is not None  # noqa: S101 - ``reachable`` said so
    locale = translator.choose([tracking.locale] if tracking.locale else [])
    said: dict[str, Param] = {"number": moved.number, "truck": truck_name}
    text = AlertText(
        title=translator.render(Message("customer.ready.title", said), locale),
        body=translator.render(Message("customer.ready.body", said), locale),
        data={"order_id": str(moved.order_id)},
    )
    return Notification(
        id=notification_id,
        truck_id=truck_id,
        shift_id=event.shift_id,
        kind=AlertKind.ORDER_READY,
        channel=_CHANNELS[tracking.channel],
        recipient=Actor(kind=PrincipalKind.GUEST, id=moved.order_id),
        message=text,
        state=NotificationState.PENDING,
        created_at=event.at,
        next_attempt_at=event.at,
        address=tracking.contact,
    )
