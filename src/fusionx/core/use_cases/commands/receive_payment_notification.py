from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TypedDict
from uuid import UUID

import msgspec

from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.events import (
    OrderCreated,
    OrderNeedsRefund,
    OrderPaid,
    OrderPaymentFailed,
)
from fusionx.core.model.orders import Order, OrderState
from fusionx.core.model.payments import (
    PaymentEvent,
    PaymentEventKind,
    PaymentOutcome,
    ReceivedPayment,
    RefundReason,
    UnhandledPaymentEvent,
)
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.stock import Shortage, StockMovement
from fusionx.core.model.tickets import Ticket
from fusionx.core.use_cases.steps.loyalty import earn_points
from fusionx.core.use_cases.steps.order_admission import promise
from fusionx.core.use_cases.steps.payment_holds import release_hold
from fusionx.core.use_cases.steps.shift_scope import log_event, log_stock_movement
from fusionx.core.use_cases.steps.stock_sales import sales_of
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.payment_notifications import PaymentNotificationVerifier
from fusionx.ports.unit_of_work import UnitOfWork


class PaymentNotificationRequest(msgspec.Struct, frozen=True, kw_only=True):
    headers: Mapping[str, str]
    body: bytes


class ReceivePaymentNotification:
    """Act on the payment gateway's word that an online order was paid (or not).

    Rules:
    - only a notification whose signature checks out is read at all;
    - each gateway event acts once: a replay, even a concurrent one, changes nothing
      and is answered as a duplicate, so the gateway stops retrying;
    - a successful payment of an order awaiting payment, in one transaction: its stock
      is already held (``payment_holds``) and stays sold; an order holding none (its
      hold lapsed or its payment failed first, or it was placed before holds) takes
      it now, never below zero. Then its NEW ticket opens on the kitchen display and
      the events are logged, as for a window order; the customer account that placed
      it, if any, earns its loyalty points (once: the event acts once). If an item ran
      out meanwhile, the shift has closed or the amount is not the order's total, the
      order needs a refund instead: an event says why, and what it held goes back on
      the shelf;
    - a failed or cancelled payment leaves the order awaiting payment (the customer may
      retry) and gives back the stock it held;
    - events of other kinds, for unknown orders, or for orders no longer awaiting
      payment change nothing (a second payment of a paid order is kept on record).
    """

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        ids: IdGenerator,
        verifier: PaymentNotificationVerifier,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._verifier = verifier

    async def execute(self, request: PaymentNotificationRequest) -> PaymentOutcome:
        notification = self._verifier.verify(request.headers, request.body)
        if isinstance(notification, UnhandledPaymentEvent):
            return PaymentOutcome.IGNORED
        async with self._uow as uow:
            if await uow.payments.get(notification.event_id) is not None:
                return PaymentOutcome.DUPLICATE
            received = ReceivedPayment(
                id=self._ids.new_id(),
                event_id=notification.event_id,
                kind=notification.kind,
                order_id=notification.order_id,
                amount_cents=notification.amount_cents,
                outcome=PaymentOutcome.IGNORED,
                received_at=self._clock.now(),
                payment_reference=notification.payment_reference,
            )
            order = await uow.orders.get_for_update(notification.order_id)
            if order is not None and order.state is OrderState.AWAITING_PAYMENT:
                outcome = await self._act(uow, order, notification, received)
                received = msgspec.structs.replace(received, outcome=outcome)
            if not await uow.payments.record(received):
                return PaymentOutcome.DUPLICATE  # a racing delivery won; drop our work
            await uow.commit()
        return received.outcome

    async def _act(
        self, uow: UnitOfWork, order: Order, event: PaymentEvent, received: ReceivedPayment
    ) -> PaymentOutcome:
        at, gateway = received.received_at, Actor(kind=PrincipalKind.GATEWAY, id=received.id)
        if event.kind in (PaymentEventKind.FAILED, PaymentEventKind.CANCELLED):
            failed = OrderPaymentFailed(**_about(order, event))
            await log_event(uow, order.shift_id, at, failed)
            await release_hold(uow, self._ids, order, actor=gateway, at=at)
            return PaymentOutcome.PAYMENT_FAILED
        shift = await uow.shifts.get(order.shift_id)
        refusal = None
        if shift is None or shift.state is ShiftState.CLOSED:
            refusal = RefundReason.SHIFT_CLOSED
        elif event.amount_cents != order.total_cents:
            refusal = RefundReason.AMOUNT_MISMATCH
        if shift is None or refusal is not None:
            await release_hold(uow, self._ids, order, actor=gateway, at=at)
            return await _needs_refund(uow, order, event, at, refusal or RefundReason.SHIFT_CLOSED)
        taken: tuple[StockMovement, ...] = ()
        if not order.stock_held:
            take = await uow.stock.take(sales_of(order, self._ids, gateway, at))
            if take.shortages:
                return await _needs_refund(
                    uow, order, event, at, RefundReason.OUT_OF_STOCK, shortages=take.shortages
                )
            taken = take.taken
        await uow.orders.set_state(order.id, OrderState.PLACED)
        # Promised now it reaches the kitchen, behind what is queued there by then.
        promised = await promise(uow, shift, now=at, pickup_at=order.pickup_at)
        await uow.orders.set_promised_ready_at(order.id, promised)
        placed = msgspec.structs.replace(order, state=OrderState.PLACED, promised_ready_at=promised)
        ticket = Ticket.first_for(order, self._ids.new_id(), at)
        await uow.tickets.add(ticket)
        await log_event(uow, order.shift_id, at, OrderPaid(**_about(order, event)))
        await log_event(
            uow,
            order.shift_id,
            at,
            OrderCreated(order=placed.without_contact(), ticket=ticket),
        )
        for movement in taken:
            await log_stock_movement(uow, movement)
        await earn_points(uow, order, event.amount_cents, at)
        return PaymentOutcome.QUEUED


class _About(TypedDict):
    order_id: UUID
    number: int
    payment_event_id: str
    amount_cents: int


def _about(order: Order, event: PaymentEvent) -> _About:
    """The fields every payment notice event names."""
    return _About(
        order_id=order.id,
        number=order.number,
        payment_event_id=event.event_id,
        amount_cents=event.amount_cents,
    )


async def _needs_refund(
    uow: UnitOfWork,
    order: Order,
    event: PaymentEvent,
    at: datetime,
    reason: RefundReason,
    *,
    shortages: tuple[Shortage, ...] = (),
) -> PaymentOutcome:
    await uow.orders.set_state(order.id, OrderState.NEEDS_REFUND)
    data = OrderNeedsRefund(**_about(order, event), reason=reason, shortages=shortages)
    await log_event(uow, order.shift_id, at, data)
    return PaymentOutcome.NEEDS_REFUND
