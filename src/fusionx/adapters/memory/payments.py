from __future__ import annotations

from uuid import UUID

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.payments import ACTED_ON, PaymentEventKind, ReceivedPayment


class InMemoryReceivedPaymentLog:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.received_payments

    async def get(self, event_id: str) -> ReceivedPayment | None:
        return self._rows.get(event_id)

    async def taken_for(self, order_id: UUID) -> int | None:
        payment = await self.payment_for(order_id)
        return payment.amount_cents if payment else None

    async def payment_for(self, order_id: UUID) -> ReceivedPayment | None:
        return next(
            (
                received
                for received in self._rows.values()
                if received.order_id == order_id
                and received.kind is PaymentEventKind.SUCCEEDED
                and received.outcome in ACTED_ON
            ),
            None,
        )

    async def record(self, received: ReceivedPayment) -> bool:
        if received.event_id in self._rows:
            return False
        self._rows[received.event_id] = received
        return True
