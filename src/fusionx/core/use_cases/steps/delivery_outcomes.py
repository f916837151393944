"""What an attempt's answer means for its notification: delivered, tried again later
(with backoff), or given up."""

from __future__ import annotations

from datetime import datetime

import msgspec

from fusionx.core.model.notifications import AttemptOutcome, Notification, NotificationState
from fusionx.core.rules.alerts import MAX_ATTEMPTS, retry_delay
from fusionx.ports.push_sender import PushOutcome, PushResult
from fusionx.ports.sms_sender import SmsOutcome, SmsResult


class Verdict(msgspec.Struct, frozen=True, kw_only=True):
    outcome: AttemptOutcome
    detail: str = ""
    address: str | None = None
    provider_ref: str | None = None
    retry_after_seconds: float | None = None
    fall_back: bool = False  # a staff member's push failed for good: try SMS


def push_verdict(result: PushResult, token: str, *, staff: bool) -> Verdict:
    outcome = {
        PushOutcome.DELIVERED: AttemptOutcome.DELIVERED,
        PushOutcome.RETRY: AttemptOutcome.RETRY,
        PushOutcome.TOKEN_INVALID: AttemptOutcome.REJECTED,
        PushOutcome.FAILED: AttemptOutcome.FAILED,
        PushOutcome.NOT_CONFIGURED: AttemptOutcome.SKIPPED,
    }[result.outcome]
    permanent = outcome in (AttemptOutcome.REJECTED, AttemptOutcome.FAILED, AttemptOutcome.SKIPPED)
    return Verdict(
        outcome=outcome,
        detail=result.detail,
        address=token,
        provider_ref=result.provider_ref,
        retry_after_seconds=result.retry_after_seconds,
        fall_back=staff and permanent,
    )


def sms_verdict(result: SmsResult, phone: str) -> Verdict:
    outcome = {
        SmsOutcome.ACCEPTED: AttemptOutcome.DELIVERED,
        SmsOutcome.RETRY: AttemptOutcome.RETRY,
        SmsOutcome.NUMBER_REJECTED: AttemptOutcome.REJECTED,
        SmsOutcome.FAILED: AttemptOutcome.FAILED,
        SmsOutcome.NOT_CONFIGURED: AttemptOutcome.SKIPPED,
    }[result.outcome]
    return Verdict(
        outcome=outcome,
        detail=result.detail,
        address=phone,
        provider_ref=result.provider_ref,
        retry_after_seconds=result.retry_after_seconds,
    )


def after_attempt(
    notification: Notification, verdict: Verdict, attempts: int, now: datetime
) -> Notification:
    """The notification as this attempt leaves it."""
    common = {"attempts": attempts, "address": verdict.address or notification.address}
    if verdict.outcome is AttemptOutcome.DELIVERED:
        return msgspec.structs.replace(
            notification,
            state=NotificationState.SENT,
            sent_at=now,
            last_error=None,
            provider_ref=verdict.provider_ref,
            **common,
        )
    if verdict.outcome is AttemptOutcome.RETRY and attempts < MAX_ATTEMPTS:
        return msgspec.structs.replace(
            notification,
            state=NotificationState.PENDING,
            last_error=verdict.detail,
            next_attempt_at=now + retry_delay(attempts, verdict.retry_after_seconds),
            **common,
        )
    return msgspec.structs.replace(
        notification, state=NotificationState.FAILED, last_error=verdict.detail, **common
    )
