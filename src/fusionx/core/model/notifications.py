"""Notifications: who is told what, on which channel, and what became of each attempt.

A notification is written to the outbox in the same unit of work as the change that
causes it, and a dispatcher delivers it later, at least once.
"""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.actors import Actor


class AlertKind(enum.StrEnum):
    NEW_ORDER = "new_order"
    LOW_STOCK = "low_stock"
    SOLD_OUT = "sold_out"
    DEVICE_STALE = "device_stale"
    # To a customer who opted in on their order (its tracking): not a staff alert.
    ORDER_READY = "order_ready"
    ORDER_LATE = "order_late"  # its ready time slipped: the new one


# What staff choose channels for (their preferences); the rest go to customers.
STAFF_ALERTS = (
    AlertKind.NEW_ORDER,
    AlertKind.LOW_STOCK,
    AlertKind.SOLD_OUT,
    AlertKind.DEVICE_STALE,
)


class Channel(enum.StrEnum):
    PUSH = "push"
    SMS = "sms"
    EMAIL = "email"  # to a customer, at the address their order gave


class NotificationState(enum.StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    SENT = "sent"  # accepted by Apple or the SMS provider
    FAILED = "failed"  # given up: permanent refusal or out of attempts


class AlertText(msgspec.Struct, frozen=True, kw_only=True):
    """What the recipient sees. ``collapse_key`` lets a newer alert replace an older one."""

    title: str
    body: str
    data: dict[str, str] = {}
    collapse_key: str | None = None


class Notification(msgspec.Struct, frozen=True, kw_only=True):
    """One message to one recipient on one channel; ``recipient`` is a staff member, a
    device, or an order's customer (kind ``guest``, the order's id). ``address`` is the
    push token or phone number of the last attempt; a customer's, their phone number or
    email address from the start."""

    id: UUID
    truck_id: UUID
    kind: AlertKind
    channel: Channel
    recipient: Actor
    message: AlertText
    state: NotificationState
    created_at: datetime
    next_attempt_at: datetime
    shift_id: UUID | None = None
    attempts: int = 0
    address: str | None = None
    sent_at: datetime | None = None
    last_error: str | None = None
    provider_ref: str | None = None
    delivery_status: str | None = None


class Claim(msgspec.Struct, frozen=True, kw_only=True):
    """A notification one dispatcher holds until ``until``; ``token`` proves it holds it."""

    notification: Notification
    token: UUID
    until: datetime


class AttemptOutcome(enum.StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"  # transient: tried again later, with backoff
    REJECTED = "rejected"  # permanent: the address is bad, disabled or opted out
    FAILED = "failed"  # permanent for another reason, or out of attempts
    SKIPPED = "skipped"  # not tried: no address, capped, blocked


class Attempt(msgspec.Struct, frozen=True, kw_only=True):
    notification_id: UUID
    number: int
    at: datetime
    outcome: AttemptOutcome
    detail: str = ""
    address: str | None = None
