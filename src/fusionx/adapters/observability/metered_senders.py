"""Push and SMS senders that count each attempt's outcome per channel."""

from __future__ import annotations

from fusionx.adapters.observability.metrics import metrics
from fusionx.core.model.notifications import AlertText
from fusionx.ports.push_sender import PushResult, PushSender
from fusionx.ports.sms_sender import SmsResult, SmsSender


class MeteredPushSender:
    """A ``PushSender`` that counts what ``inner`` answered."""

    def __init__(self, inner: PushSender) -> None:
        self._inner = inner

    async def send(self, token: str, message: AlertText) -> PushResult:
        result = await self._inner.send(token, message)
        metrics().notifications.labels("push", result.outcome.value).inc()
        return result


class MeteredSmsSender:
    """An ``SmsSender`` that counts what ``inner`` answered."""

    def __init__(self, inner: SmsSender) -> None:
        self._inner = inner

    async def send(self, to: str, body: str) -> SmsResult:
        result = await self._inner.send(to, body)
        metrics().notifications.labels("sms", result.outcome.value).inc()
        return result
