from __future__ import annotations

import enum
from typing import Protocol

import msgspec


class SmsOutcome(enum.StrEnum):
    ACCEPTED = "accepted"  # the provider queued it; delivery reports arrive later
    RETRY = "retry"  # rate-limited or provider trouble: try later
    NUMBER_REJECTED = "number_rejected"  # invalid, landline or opted out: never again
    FAILED = "failed"
    NOT_CONFIGURED = "not_configured"


class SmsResult(msgspec.Struct, frozen=True, kw_only=True):
    outcome: SmsOutcome
    detail: str = ""
    provider_ref: str | None = None
    retry_after_seconds: float | None = None


class SmsSender(Protocol):
    """Sends one text message to an E.164 number; never raises for the provider's
    answers or for network trouble, which come back as an ``SmsResult``."""

    async def send(self, to: str, body: str) -> SmsResult: ...
