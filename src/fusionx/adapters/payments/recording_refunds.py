from __future__ import annotations

import msgspec

from fusionx.ports.refund_gateway import RefundInstruction


class RecordedRefund(msgspec.Struct, frozen=True, kw_only=True):
    instruction: RefundInstruction
    reference: str


class RecordingRefundGateway:
    """A ``RefundGateway`` that accepts every refund and keeps it, nothing more.

    Window orders are paid at the truck, so the refund is handed over there; the
    payment gateway's refund API replaces this with the customer-ordering release.
    A refund id seen twice is accepted once and answered with the same reference.
    """

    def __init__(self) -> None:
        self.refunds: list[RecordedRefund] = []

    async def refund(self, instruction: RefundInstruction) -> str:
        for recorded in self.refunds:
            if recorded.instruction.refund_id == instruction.refund_id:
                return recorded.reference
        reference = f"recorded-{instruction.refund_id}"
        self.refunds.append(RecordedRefund(instruction=instruction, reference=reference))
        return reference
