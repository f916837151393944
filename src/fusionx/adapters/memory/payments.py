from __future__ import annotations

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.payments import ReceivedPayment


class InMemoryReceivedPaymentLog:
    def __init__(self, tables: InMemoryTables) -> None:
        self._rows = tables.received_payments

    async def get(self, event_id: str) -> ReceivedPayment | None:
        return self._rows.get(event_id)

    async def record(self, received: ReceivedPayment) -> bool:
        if received.event_id in self._rows:
            return False
        self._rows[received.event_id] = received
        return True
