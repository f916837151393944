from __future__ import annotations

from typing import Protocol
from uuid import UUID

import msgspec


class RefundInstruction(msgspec.Struct, frozen=True, kw_only=True):
    """Give ``amount_cents`` back on the payment of ``order_id``.

    ``refund_id`` is unique per refund: a gateway that sees it twice refunds once.
    """

    refund_id: UUID
    order_id: UUID
    amount_cents: int
    reason: str


class RefundFailed(Exception):
    """The gateway refused or could not be reached; nothing was refunded."""


class RefundGateway(Protocol):
    """Sends refunds out to whoever holds the customer's money.

    ``refund`` returns the gateway's reference for the refund once it is accepted, or
    raises ``RefundFailed``. It is called before the refund is committed here, so a
    failure leaves no record of a refund that did not happen.
    """

    async def refund(self, instruction: RefundInstruction) -> str: ...
