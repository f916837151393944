"""Fake push and SMS senders: they keep what they were asked to send and answer what
the test scripted (delivered, when nothing is)."""

from __future__ import annotations

from collections import deque

from fusionx.core.model.notifications import AlertText
from fusionx.ports.push_sender import PushOutcome, PushResult
from fusionx.ports.sms_sender import SmsOutcome, SmsResult


class RecordingPushSender:
    def __init__(self) -> None:
        self.sent: list[tuple[str, AlertText]] = []
        self.answers: deque[PushResult] = deque()

    async def send(self, token: str, message: AlertText) -> PushResult:
        self.sent.append((token, message))
        if self.answers:
            return self.answers.popleft()
        return PushResult(outcome=PushOutcome.DELIVERED, provider_ref=f"apns-{len(self.sent)}")


class RecordingSmsSender:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.answers: deque[SmsResult] = deque()

    async def send(self, to: str, body: str) -> SmsResult:
        self.sent.append((to, body))
        if self.answers:
            return self.answers.popleft()
        return SmsResult(outcome=SmsOutcome.ACCEPTED, provider_ref=f"SM{len(self.sent):032d}")
