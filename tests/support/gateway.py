"""The payment gateway's side of the webhook: what it sends, signed as it signs it.

Written from the wire format in the README, not from our adapter, so a test that
passes proves the two agree.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from itertools import count
from typing import Any
from uuid import UUID

WEBHOOK = "/api/v1/webhooks/payments"
SECRET = "whsec_test_0123456789abcdef"


class Gateway:
    """Builds signed notifications; each new one gets a fresh gateway event id."""

    def __init__(self, secret: str = SECRET) -> None:
        self.secret = secret
        self._ids = count(1)

    def event(
        self,
        order_id: UUID | str,
        amount_cents: int,
        kind: str = "payment.succeeded",
        event_id: str | None = None,
        payment_id: str | None = None,
    ) -> dict[str, Any]:
        data: dict[str, Any] = {"order_id": str(order_id), "amount_cents": amount_cents}
        if payment_id is not None:
            data["payment_id"] = payment_id
        return {
            "id": event_id or f"evt_{next(self._ids):06d}",
            "type": kind,
            "created": 1767614400,
            "data": data,
        }

    def signed(
        self, event: dict[str, Any] | bytes, at: datetime, secret: str | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """The raw body and the headers of one delivery of ``event``, signed at ``at``."""
        body = event if isinstance(event, bytes) else json.dumps(event).encode()
        timestamp = int(at.timestamp())
        mac = hmac.new(
            (secret or self.secret).encode(), f"{timestamp}.".encode() + body, hashlib.sha256
        )
        headers = {
            "Content-Type": "application/json",
            "Payment-Signature": f"t={timestamp},v1={mac.hexdigest()}",
        }
        return body, headers
