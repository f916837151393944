from __future__ import annotations

from collections.abc import Mapping

from fusionx.core.model.notifications import AlertText
from fusionx.ports.push_sender import PushOutcome, PushResult
from fusionx.ports.sms_sender import SmsOutcome, SmsResult


class UnconfiguredPushSender:
    """``PushSender`` when APNs has no settings: nothing goes out, and it says so."""

    async def send(self, token: str, message: AlertText) -> PushResult:  # noqa: ARG002
        return PushResult(outcome=PushOutcome.NOT_CONFIGURED, detail="push is not configured")


class UnconfiguredSmsSender:
    """``SmsSender`` when SMS has no settings: nothing goes out, and it says so."""

    async def send(self, to: str, body: str) -> SmsResult:  # noqa: ARG002
        return SmsResult(outcome=SmsOutcome.NOT_CONFIGURED, detail="SMS is not configured")


class RefusingCallbackVerifier:
    """``SmsCallbackVerifier`` without SMS settings: no callback is believed."""

    def verify(self, params: Mapping[str, str], signature: str) -> bool:  # noqa: ARG002
        return False
