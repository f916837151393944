from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import msgspec

from fusionx.core.errors import Conflict, InvalidInput, NotFound
from fusionx.core.messages import Message
from fusionx.core.model.actors import actor_of
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.events import OrderRefundRequested
from fusionx.core.model.fleet_events import OrderRefundedByStaff, Stream
from fusionx.core.model.orders import Order
from fusionx.core.model.principals import Principal
from fusionx.core.model.refunds import (
    Refund,
    RefundLine,
    RefundStatus,
    held_cents,
    refunded_quantities,
)
from fusionx.core.model.staff import Role
from fusionx.core.model.tickets import TicketState
from fusionx.core.rules.access import require_staff, require_truck_scope
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.refund_outcomes import conclude, send_refund
from fusionx.core.use_cases.steps.shift_scope import log_event
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.refund_gateway import RefundGateway
from fusionx.ports.unit_of_work import UnitOfWorkFactory


class RefundLineRequest(msgspec.Struct, frozen=True, kw_only=True):
    line: int
    quantity: int


class RefundOrderRequest(msgspec.Struct, frozen=True, kw_only=True):
    """No ``lines``: refund everything not refunded yet."""

    order_id: UUID
    reason: CancelReason
    note: str | None = None
    lines: tuple[RefundLineRequest, ...] = ()


class RefundOrder:
    """Give a customer money back for an order, in full or by line.

    Rules:
    - staff of the order's truck with the manager role or higher; devices never;
    - a reason from the fixed list (``other`` needs a note);
    - without lines, everything not refunded yet; with lines, each names a line of the
      order by its index and at most the units of it not refunded yet, and gives back
      what the customer was charged for them (their share of the total: the tax paid on
      top of the prices and the discount go with them, ``Order.charged_for``); the
      refund that takes the last units gives back all that is left, so the refunds of
      an order add up to what was paid to the cent;
    - what is refunded, over all refunds of the order that did not fail (pending ones
      included), is more than zero and never exceeds what was paid: for an online order,
      what the gateway reported taking (which may be less than the total), and never
      more than the lines are worth. Refunding everything gives back what is left of
      that. Refunds of one order are taken one at a time, so two at once cannot both pass;
    - money goes back the way it came. Paid through the payment gateway: the refund is
      recorded as pending (with its event) in one unit of work, sent to the gateway with
      its own id as the idempotency key outside it, and its outcome recorded in a second
      one: succeeded, or failed with the gateway's reason (``RefundRefused``: a refused
      refund is never shown as given). No answer leaves it pending (``RefundPending``),
      holding its amount until ``RetryRefund`` sends it again. Paid at the truck: handed
      back there, and recorded as succeeded at once;
    - once all that was paid is given back, the ticket becomes REFUNDED; an order still
      being worked on must be cancelled before it is refunded in full;
    - each refund is an audit record (who, when, reason, amounts), on the truck's stream
      as decided and again with its outcome, and an event on the shift's log per step.
    """

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, gateway: RefundGateway
    ) -> None:
        self._units = uow
        self._clock = clock
        self._ids = ids
        self._gateway = gateway

    async def execute(self, principal: Principal, request: RefundOrderRequest) -> Refund:
        note = require_text("note", request.note, max_length=500) if request.note else None
        if request.reason is CancelReason.OTHER and note is None:
            raise InvalidInput("note", Message("refund.note_required"))
        now = self._clock.now()
        async with self._units() as uow:
            order = await uow.orders.get_for_update(request.order_id)
            shift = await uow.shifts.get(order.shift_id) if order else None
            if order is None or shift is None:
                raise NotFound("order", request.order_id)
            require_truck_scope(principal, shift.truck_id, "order", request.order_id)
            actor = actor_of(require_staff(principal, Role.MANAGER))
            earlier = await uow.refunds.for_order(order.id)
            payment = await uow.payments.payment_for(order.id)
            paid = order.paid_cents(payment.amount_cents if payment else None)
            already = held_cents(earlier)
            left = order.refundable_cents(paid, refunded=already)
            lines = self._lines(order, request, refunded_quantities(earlier))
            amount = sum(line.amount_cents for line in lines)
            if not request.lines or self._takes_the_last_units(order, earlier, lines):
                # Everything: what is left of what was paid, the tax paid on top of the
                # prices included (and less any discount), not the lines' list prices.
                amount = left
            if amount <= 0 or amount > left:
                detail = (
                    Message("refund.only_left", {"count": max(left, 0)})
                    if amount > 0
                    else Message("refund.nothing_left")
                )
                raise Conflict(detail, paid_cents=paid, refunded_cents=already)
            # An online order paid but never served has no ticket to move.
            ticket = await uow.tickets.for_order(order.id)
            completes = amount == left
            if completes and ticket is not None and not ticket.may_become(TicketState.REFUNDED):
                raise Conflict(
                    Message("refund.cancel_first", {"state": ticket.state.value}),
                    state=ticket.state.value,
                    version=ticket.version,
                )
            refund = Refund(
                id=self._ids.new_id(),
                order_id=order.id,
                shift_id=order.shift_id,
                reason=request.reason,
                note=note,
                amount_cents=amount,
                lines=lines,
                actor=actor,
                at=now,
                status=RefundStatus.PENDING if payment else RefundStatus.SUCCEEDED,
            )
            await uow.refunds.add(refund)
            if payment is None:  # paid at the truck: handed back there, now
                await conclude(uow, order, refund, now)
            else:
                await log_event(uow, order.shift_id, now, OrderRefundRequested(refund=refund))
            audited = OrderRefundedByStaff(truck_id=shift.truck_id, refund=refund)
            await log_fleet_event(uow, Stream.truck(shift.truck_id), now, actor, audited)
            await uow.commit()
        if payment is None:
            return refund
        return await send_refund(
            self._units,
            self._clock,
            self._gateway,
            refund,
            payment_reference=payment.payment_reference,
            actor=actor,
        )

    @staticmethod
    def _takes_the_last_units(
        order: Order, earlier: Sequence[Refund], lines: tuple[RefundLine, ...]
    ) -> bool:
        taken = refunded_quantities(earlier)
        for line in lines:
            taken[line.line] = taken.get(line.line, 0) + line.quantity
        return not any(order.units_left(taken))

    @staticmethod
    def _lines(
        order: Order, request: RefundOrderRequest, refunded: dict[int, int]
    ) -> tuple[RefundLine, ...]:
        units_left = order.units_left(refunded)
        wanted: dict[int, int] = {}
        if not request.lines:
            wanted = dict(enumerate(units_left))
        for index, asked in enumerate(request.lines):
            field = f"lines[{index}]"
            if not 0 <= asked.line < len(order.lines):
                raise InvalidInput(
                    f"{field}.line", Message("refund.line_range", {"high": len(order.lines) - 1})
                )
            if asked.line in wanted:
                raise InvalidInput(f"{field}.line", Message("refund.line_twice"))
            left = units_left[asked.line]
            if not 1 <= asked.quantity <= left:
                raise InvalidInput(
                    f"{field}.quantity", Message("refund.quantity_range", {"high": left})
                )
            wanted[asked.line] = asked.quantity
        return tuple(
            RefundLine(
                line=i,
                quantity=quantity,
                amount_cents=order.charged_for(order.lines[i].unit_price_cents * quantity),
            )
            for i, quantity in sorted(wanted.items())
            if quantity > 0
        )
