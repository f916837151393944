from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.payments import ReceivedPayment


class ReceivedPaymentLog(Protocol):
    """The gateway events acted on, by the gateway's event id (unique)."""

    async def get(self, event_id: str) -> ReceivedPayment | None: ...

    async def taken_for(self, order_id: UUID) -> int | None:
        """What the gateway said it took for ``order_id``: the amount of the successful
        payment that acted on the order (placed it, or left it needing a refund), or None
        while none has. A later payment of the same order, kept but ignored, is not it."""
        ...

    async def payment_for(self, order_id: UUID) -> ReceivedPayment | None:
        """The successful payment ``taken_for`` reads its amount from, or None."""
        ...

    async def record(self, received: ReceivedPayment) -> bool:
        """Keep ``received``; False, and nothing kept, if its ``event_id`` is already there.

        Of two units of work recording the same event id at once, the second waits for
        the first to end, and gets False if the first committed.
        """
        ...
