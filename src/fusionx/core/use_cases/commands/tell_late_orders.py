from __future__ import annotations

from datetime import datetime, timedelta

from fusionx.core.messages import Message, Moment, Param
from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.notifications import (
    AlertKind,
    AlertText,
    Channel,
    Notification,
    NotificationState,
)
from fusionx.core.model.tickets import TicketState
from fusionx.core.model.tracking import ContactChannel, OrderTracking
from fusionx.core.rules.capacity import promised_ready_at
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.translator import Translator
from fusionx.ports.unit_of_work import UnitOfWorkFactory

BATCH = 100
DEFAULT_MARGIN = timedelta(minutes=10)
_CHANNELS = {ContactChannel.SMS: Channel.SMS, ContactChannel.EMAIL: Channel.EMAIL}


class TellLateOrders:
    """Tell customers whose order slipped the new time it should be ready, once a slip.

    Rules:
    - an order slipped when it is still to be made (new, in prep or held) more than
      ``margin`` after the ready time its customer was last told;
    - its new time is the kitchen's promise from now: the tickets ahead of it at the
      shift's recent pace (the rule every promise follows);
    - a customer who opted in is told it once, in their language, by SMS or email with
      the tracking link (the outbox, as for the ready message), and it becomes the time
      they were told (the tracking page shows it): a further slip beyond it is told
      again, never the same one twice;
    - each order is told in its own unit of work with a compare-and-set on the time
      told, so of several sweeps (workers, instances) exactly one tells it.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        translator: Translator,
        *,
        margin: timedelta = DEFAULT_MARGIN,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._translator = translator
        self._margin = margin

    async def execute(self) -> int:
        """How many customers this sweep told."""
        now = self._clock.now()
        async with self._uow() as uow:
            late = await uow.tracking.overdue(now - self._margin, BATCH)
        told = 0
        for tracking in late:
            told += await self._tell(tracking, now)
        return told

    async def _tell(self, tracking: OrderTracking, now: datetime) -> bool:
        async with self._uow() as uow:
            order = await uow.orders.get(tracking.order_id)
            ticket = await uow.tickets.for_order(tracking.order_id)
            shift = await uow.shifts.get(order.shift_id) if order else None
            if order is None or ticket is None or shift is None:
                return False
            open_tickets = await uow.tickets.open_for_shift(shift.id)
            ahead = sum(
                1
                for other in open_tickets
                if other.state is not TicketState.READY
                and (other.created_at, other.number) < (ticket.created_at, ticket.number)
            )
            load = await uow.capacity.kitchen_load(shift.id)
            new_time = promised_ready_at(now, ahead, load.recent_prep_seconds)
            if not await uow.tracking.set_told(order.id, tracking.told_ready_at, new_time):
                return False  # another sweep told them
            if tracking.reachable and tracking.channel is not None:
                truck = await uow.trucks.get(shift.truck_id)
                location = await uow.locations.get(shift.location_id)
                locale = self._translator.choose([tracking.locale] if tracking.locale else [])
                zone = location.timezone if location else "UTC"
                said: dict[str, Param] = {
                    "number": order.number,
                    "truck": truck.name if truck else "",
                    "at": Moment(new_time, style="time"),
                }
                text = AlertText(
                    title=self._translator.render(Message("customer.late.title", said), locale),
                    body=self._translator.render(
                        Message("customer.late.body", said), locale, zone=zone
                    ),
                    data={"order_id": str(order.id)},
                )
                await uow.outbox.add(
                    Notification(
                        id=self._ids.new_id(),
                        truck_id=shift.truck_id,
                        shift_id=shift.id,
                        kind=AlertKind.ORDER_LATE,
                        channel=_CHANNELS[tracking.channel],
                        recipient=Actor(kind=PrincipalKind.GUEST, id=order.id),
                        message=text,
                        state=NotificationState.PENDING,
                        created_at=now,
                        next_attempt_at=now,
                        address=tracking.contact,
                    )
                )
            await uow.commit()
            return True
