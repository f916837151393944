from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import UUID

import msgspec

from fusionx.core.errors import Conflict, InvalidInput, NotFound
from fusionx.core.messages import Message
from fusionx.core.model.customer_status import CustomerStatus
from fusionx.core.model.events import (
    OrderAwaitingPayment,
    OrderCancelled,
    OrderCreated,
    OrderNeedsRefund,
    OrderPaid,
    OrderPaymentFailed,
    OrderRefunded,
    OrderRefundFailed,
    OrderRefundRequested,
    ShiftClosed,
    ShiftEvent,
    TicketStateChanged,
)
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import require_order_owner
from fusionx.core.use_cases.queries.follow_shift_events import FollowShiftEvents
from fusionx.core.use_cases.queries.view_tracked_order import TrackedOrder, ViewTrackedOrder
from fusionx.ports.event_bus import EventBus
from fusionx.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

# Where a customer's following ends: nothing the kitchen does changes it any more.
OVER = frozenset({CustomerStatus.PICKED_UP, CustomerStatus.CANCELLED, CustomerStatus.REFUNDED})


class TrackedUpdate(msgspec.Struct, frozen=True, kw_only=True):
    """The order as its customer sees it after the shift's event ``seq``."""

    seq: int
    order: TrackedOrder


def concerns(event: ShiftEvent, order_id: UUID) -> bool:
    """Whether ``event`` changes what the order's customer sees of it."""
    match event.data:
        case OrderCreated(order=order) | OrderAwaitingPayment(order=order):
            return order.id == order_id
        case (
            OrderPaid(order_id=about)
            | OrderPaymentFailed(order_id=about)
            | OrderNeedsRefund(order_id=about)
            | TicketStateChanged(order_id=about)
        ):
            return about == order_id
        case OrderCancelled(cancellation=cancellation):
            return cancellation.order_id == order_id
        case (
            OrderRefunded(refund=refund)
            | OrderRefundRequested(refund=refund)
            | OrderRefundFailed(refund=refund)
        ):
            return refund.order_id == order_id
        case ShiftClosed():
            return True
        case _:
            return False


class FollowTrackedOrder:
    """One order, live, for its customer: the shift's event stream filtered to it.

    Rules:
    - the order's customer only (as ``ViewTrackedOrder``);
    - first the order as it is now, unless the client's ``last_seq`` (its Last-Event-ID)
      is the shift's last event already (it holds that state);
    - then, after each event of the shift that concerns this order (its ticket's moves,
      its payment, cancellation and refunds), the order as it is then, numbered by that
      event's ``seq``: a client reconnecting with the last number it holds misses
      nothing; each message is the tracking page's answer, so no other order's data can
      leak into it, and changes close together may come as one (the latest state);
    - a ``last_seq`` beyond the shift's last event is a conflict (as on the kitchen's
      stream); the stream ends once the order is over for its customer (picked up,
      cancelled or refunded) or its shift closes: the tracking page still answers.

    It only reads: give it reading units of work.
    """

    def __init__(self, uow: UnitOfWorkFactory, bus: EventBus) -> None:
        self._uow = uow
        self._events = FollowShiftEvents(uow, bus)

    async def open(
        self, principal: Principal, order_id: UUID, last_seq: int = 0
    ) -> AsyncIterator[TrackedUpdate]:
        """Check the caller and ``last_seq`` now (404, 409 and 422 before any update is
        sent), then hand back the stream of updates."""
        if last_seq < 0:
            raise InvalidInput("last_seq", Message("input.negative"))
        async with self._uow() as uow:
            shift_id = await _owned_shift(uow, principal, order_id)
            head = await uow.events.last_seq(shift_id)
        if last_seq > head:
            raise Conflict(
                Message("stream.beyond_head", {"last_seq": last_seq, "head": head}),
                last_seq=last_seq,
                head=head,
            )
        return self._updates(principal, order_id, shift_id, head, resumed=0 < last_seq == head)

    async def _updates(
        self, principal: Principal, order_id: UUID, shift_id: UUID, head: int, *, resumed: bool
    ) -> AsyncIterator[TrackedUpdate]:
        now = TrackedUpdate(seq=head, order=await self._view(principal, order_id))
        if not resumed:
            yield now
        if now.order.status in OVER:
            return  # nothing more will happen to it: the client holds its last state

        async def check(uow: UnitOfWork) -> None:
            await _owned_shift(uow, principal, order_id)

        async for event in self._events.follow(shift_id, head, check):
            if not concerns(event, order_id):
                continue
            update = TrackedUpdate(seq=event.seq, order=await self._view(principal, order_id))
            yield update
            if update.order.status in OVER or isinstance(event.data, ShiftClosed):
                return

    async def _view(self, principal: Principal, order_id: UUID) -> TrackedOrder:
        return await ViewTrackedOrder(self._uow()).execute(principal, order_id)


async def _owned_shift(uow: UnitOfWork, principal: Principal, order_id: UUID) -> UUID:
    order = await uow.orders.get(order_id)
    if order is None:
        raise NotFound("order", order_id)
    require_order_owner(principal, order_id=order.id, customer_id=order.customer_id)
    return order.shift_id
