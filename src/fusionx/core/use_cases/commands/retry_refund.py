from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import Conflict, NotFound
from fusionx.core.messages import Message
from fusionx.core.model.actors import actor_of
from fusionx.core.model.principals import Principal
from fusionx.core.model.refunds import Refund, RefundStatus
from fusionx.core.model.staff import Role
from fusionx.core.rules.access import require_staff, require_truck_scope
from fusionx.core.use_cases.steps.refund_outcomes import send_refund
from fusionx.ports.clock import Clock
from fusionx.ports.refund_gateway import RefundGateway
from fusionx.ports.unit_of_work import UnitOfWorkFactory


class RetryRefundRequest(msgspec.Struct, frozen=True, kw_only=True):
    order_id: UUID
    refund_id: UUID


class RetryRefund:
    """Send a pending refund to the payment gateway again, and record its answer.

    Rules:
    - staff of the order's truck with the manager role or higher; devices never;
    - the refund must be one of the order's (else 404, as for an order of another truck);
    - only a pending refund is sent: with the same refund id as its idempotency key, so
      a refund the gateway did carry out before the answer was lost is not given twice;
    - a refund that already succeeded is answered as it is (a retry changes nothing); a
      failed one is final: a new refund is a new decision (409);
    - the outcome is recorded as for the first attempt (``RefundOrder``).
    """

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, gateway: RefundGateway) -> None:
        self._units = uow
        self._clock = clock
        self._gateway = gateway

    async def execute(self, principal: Principal, request: RetryRefundRequest) -> Refund:
        async with self._units() as uow:
            order = await uow.orders.get(request.order_id)
            shift = await uow.shifts.get(order.shift_id) if order else None
            if order is None or shift is None:
                raise NotFound("order", request.order_id)
            require_truck_scope(principal, shift.truck_id, "order", request.order_id)
            actor = actor_of(require_staff(principal, Role.MANAGER))
            refunds = await uow.refunds.for_order(order.id)
            refund = next((r for r in refunds if r.id == request.refund_id), None)
            if refund is None:
                raise NotFound("refund", request.refund_id)
            payment = await uow.payments.payment_for(order.id)
        if refund.status is RefundStatus.SUCCEEDED:
            return refund
        if refund.status is RefundStatus.FAILED:
            raise Conflict(
                Message("refund.not_pending", {"refund_id": str(refund.id)}),
                status=refund.status.value,
            )
        reference = payment.payment_reference if payment else None
        return await send_refund(
            self._units,
            self._clock,
            self._gateway,
            refund,
            payment_reference=reference,
            actor=actor,
        )
