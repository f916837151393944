"""Sending a refund out through the payment gateway, and recording what it answered:
shared by the manager's refund and its retry."""

from __future__ import annotations

from datetime import datetime

from fusionx.core.errors import NotFound, RefundPending, RefundRefused
from fusionx.core.messages import Message
from fusionx.core.model.actors import Actor
from fusionx.core.model.events import OrderRefunded, OrderRefundFailed
from fusionx.core.model.fleet_events import OrderRefundSettled, Stream
from fusionx.core.model.orders import Order
from fusionx.core.model.refunds import Refund, RefundStatus, refunded_cents
from fusionx.core.model.tickets import TicketState
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.loyalty import reverse_points
from fusionx.core.use_cases.steps.shift_scope import log_event
from fusionx.core.use_cases.steps.ticket_moves import move_ticket
from fusionx.ports.clock import Clock
from fusionx.ports.payment_errors import GatewayUnavailable, PaymentGatewayError
from fusionx.ports.refund_gateway import RefundGateway, RefundInstruction
from fusionx.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


async def send_refund(
    units: UnitOfWorkFactory,
    clock: Clock,
    gateway: RefundGateway,
    refund: Refund,
    *,
    payment_reference: str | None,
    actor: Actor,
) -> Refund:
    """Send a pending ``refund`` (its id as the idempotency key) for the gateway's payment
    ``payment_reference``, outside any transaction; then record the gateway's answer in
    a unit of work of its own.

    ``actor`` is who sent it (the deciding manager, or one retrying it): the outcome is
    on the truck's stream in their name.

    Accepted: succeeded, with the gateway's reference. Refused: failed with its reason,
    and ``RefundRefused`` raised. No answer: still pending, and ``RefundPending`` raised;
    sending it again later refunds at most once. If another retry recorded an outcome
    first, that outcome stands.
    """
    instruction = RefundInstruction(
        refund_id=refund.id,
        order_id=refund.order_id,
        amount_cents=refund.amount_cents,
        reason=refund.reason.value,
        payment_reference=payment_reference,
    )
    try:
        outcome = refund.succeeded(await gateway.refund(instruction))
    except GatewayUnavailable as error:
        raise RefundPending(
            Message("refund.pending", {"refund_id": str(refund.id), "reason": str(error)}),
            refund_id=refund.id,
        ) from None
    except PaymentGatewayError as error:
        outcome = refund.failed(f"{error.code or 'refused'}: {error}")
        refused: PaymentGatewayError | None = error
    else:
        refused = None
    async with units() as uow:
        order = await uow.orders.get_for_update(refund.order_id)  # refunds one at a time
        current = await _refund_of(uow, refund)
        if order is None or current is None:
            raise NotFound("refund", refund.id)
        if current.status is not RefundStatus.PENDING:
            return current  # a concurrent retry recorded the answer first
        await uow.refunds.save_outcome(outcome)
        now = clock.now()
        await conclude(uow, order, outcome, now)
        shift = await uow.shifts.get(order.shift_id)
        if shift is not None:
            settled = OrderRefundSettled(truck_id=shift.truck_id, refund=outcome)
            await log_fleet_event(uow, Stream.truck(shift.truck_id), now, actor, settled)
        await uow.commit()
    if refused is not None:
        raise RefundRefused(
            Message("refund.refused", {"code": refused.code or "refused", "reason": str(refused)}),
            refund_id=refund.id,
            code=refused.code,
            field=getattr(refused, "field", None),
        )
    return outcome


async def conclude(uow: UnitOfWork, order: Order, refund: Refund, at: datetime) -> None:
    """Log a refund that has its outcome; once all that was paid is given back, the
    order's ticket (if it has one) becomes REFUNDED. A succeeded refund takes back the
    loyalty points earned on what it gave back (and, the order wholly refunded, returns
    those spent on it)."""
    if refund.status is RefundStatus.FAILED:
        await log_event(uow, order.shift_id, at, OrderRefundFailed(refund=refund))
        return
    refunds = [r if r.id != refund.id else refund for r in await uow.refunds.for_order(order.id)]
    if refund.id not in {r.id for r in refunds}:
        refunds.append(refund)
    paid = order.paid_cents(await uow.payments.taken_for(order.id))
    ticket = await uow.tickets.for_order(order.id)
    done = order.refundable_cents(paid, refunded=refunded_cents(refunds)) <= 0
    if done and ticket is not None and ticket.may_become(TicketState.REFUNDED):
        # Recorded on the ticket as data (like a cancellation's reason), not shown as text.
        why = f"refunded: {refund.reason.value}"
        await move_ticket(uow, ticket, TicketState.REFUNDED, actor=refund.actor, at=at, reason=why)
    await reverse_points(uow, order, refund, at, wholly_refunded=done)
    await log_event(uow, order.shift_id, at, OrderRefunded(refund=refund))


async def _refund_of(uow: UnitOfWork, refund: Refund) -> Refund | None:
    return next(
        (r for r in await uow.refunds.for_order(refund.order_id) if r.id == refund.id), None
    )
