from __future__ import annotations

from collections.abc import Mapping

from fusionx.core.errors import PermissionDenied
from fusionx.core.messages import Message
from fusionx.ports.clock import Clock
from fusionx.ports.sms_callbacks import SmsCallbackVerifier
from fusionx.ports.unit_of_work import UnitOfWork

# Delivery reports that say the number can never get our texts (opted out, landline,
# unknown number), as the SMS provider's error codes.
_NUMBER_GONE = {"21610": "opted out (STOP)", "30006": "landline or unreachable carrier",
                "30005": "unknown or inactive number"}  # fmt: skip


class RecordSmsStatus:
    """Record a delivery report the SMS provider sends for a text we sent.

    Rules:
    - only a report whose signature checks out is believed (else 403);
    - it sets the notification's delivery status (queued, sent, delivered, failed…);
      a report for a message we do not know is accepted and ignored;
    - a report that the number cannot get texts blocks the number.
    """

    def __init__(self, uow: UnitOfWork, verifier: SmsCallbackVerifier, clock: Clock) -> None:
        self._uow = uow
        self._verifier = verifier
        self._clock = clock

    async def execute(self, params: Mapping[str, str], signature: str) -> None:
        if not self._verifier.verify(params, signature):
            raise PermissionDenied(Message("sms.signature_mismatch"))
        sid, status = params.get("MessageSid", ""), params.get("MessageStatus", "")
        async with self._uow as uow:
            notification = await uow.outbox.by_provider_ref(sid) if sid else None
            if notification is None or not status:
                return
            await uow.outbox.set_delivery_status(notification.id, status)
            gone = _NUMBER_GONE.get(params.get("ErrorCode", ""))
            if gone and notification.address:
                reason = f"{params['ErrorCode']}: {gone}"
                await uow.sms_numbers.block(notification.address, reason, self._clock.now())
            await uow.commit()
