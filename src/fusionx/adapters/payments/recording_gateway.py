from __future__ import annotations

import msgspec

from fusionx.ports.payment_errors import InvalidPaymentRequest
from fusionx.ports.payment_gateway import IntentStatus, PaymentIntent, PaymentIntentRequest
from fusionx.ports.refund_gateway import RefundInstruction


class RecordedRefund(msgspec.Struct, frozen=True, kw_only=True):
    instruction: RefundInstruction
    reference: str


class RecordingPaymentGateway:
    """A ``PaymentGateway`` and ``RefundGateway`` that accepts everything and keeps it,
    nothing more: for tests and the demo, where no money moves.

    As a real gateway does, it answers a repeated idempotency key with its first answer:
    one intent per order, one refund per refund id.
    """

    def __init__(self) -> None:
        self.refunds: list[RecordedRefund] = []
        self.intents: dict[str, PaymentIntent] = {}

    async def create_intent(self, request: PaymentIntentRequest) -> PaymentIntent:
        intent_id = f"recorded-{request.idempotency_key}"
        if intent_id not in self.intents:
            self.intents[intent_id] = PaymentIntent(
                id=intent_id,
                order_id=request.order_id,
                amount_cents=request.amount_cents,
                currency=request.currency,
                status=IntentStatus.AWAITING_CUSTOMER,
                client_secret=f"{intent_id}-secret",
            )
        return self.intents[intent_id]

    async def get_intent(self, intent_id: str) -> PaymentIntent:
        if intent_id not in self.intents:
            raise InvalidPaymentRequest("No such payment intent", field="intent_id")
        return self.intents[intent_id]

    async def cancel_intent(self, intent_id: str) -> PaymentIntent:
        intent = await self.get_intent(intent_id)
        self.intents[intent_id] = msgspec.structs.replace(intent, status=IntentStatus.CANCELLED)
        return self.intents[intent_id]

    async def refund(self, instruction: RefundInstruction) -> str:
        for recorded in self.refunds:
            if recorded.instruction.refund_id == instruction.refund_id:
                return recorded.reference
        reference = f"recorded-{instruction.refund_id}"
        self.refunds.append(RecordedRefund(instruction=instruction, reference=reference))
        return reference
