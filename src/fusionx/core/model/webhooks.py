"""Outbound webhooks: partners' endpoints, and the deliveries of shift events to them.

An endpoint subscribes to event types of the shift stream (the public names of
``docs/events.md``). Each logged event of a subscribed type becomes one delivery per
endpoint, written in the same unit of work as the event: a committed event always has
its deliveries, a rolled-back one never does, and ``(endpoint, shift, seq)`` is unique,
so none is made twice. An endpoint's signing secret is not part of the endpoint: it is
stored beside it and read only to sign, so that no view, log or audit record of an
endpoint can carry it.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from uuid import UUID

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.actors import Actor

# Retried for a day after the event, then parked as a dead letter.
GIVE_UP_AFTER = timedelta(days=1)
MAX_ERROR_LENGTH = 500
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, for secret scanners


class WebhookPolicy(msgspec.Struct, frozen=True, kw_only=True):
    """What the operator allows endpoints to be: plain http (tests, a lab), and
    private, loopback or link-local addresses (tests, on-premises receivers)."""

    allow_http: bool = False
    allow_private: bool = False
    # Networks allowed even though private ("10.20.0.0/16"): narrower than allow_private.
    allowed_networks: tuple[str, ...] = ()


class WebhookEndpoint(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    url: str
    event_types: tuple[str, ...]
    description: str | None
    active: bool
    created_at: datetime
    created_by: Actor
    updated_at: datetime

    def wants(self, event_type: str) -> bool:
        return self.active and event_type in self.event_types


class DeliveryState(enum.StrEnum):
    PENDING = "pending"  # waiting for its first or next attempt
    DELIVERED = "delivered"  # the endpoint answered 2xx
    DEAD = "dead"  # failed for a day: parked until replayed by hand


class WebhookDelivery(msgspec.Struct, frozen=True, kw_only=True):
    """One event on its way to one endpoint. ``give_up_at``: a failure at or after it
    parks the delivery (a day after the event, or after the replay)."""

    id: UUID
    endpoint_id: UUID
    shift_id: UUID
    seq: int
    event_type: str
    occurred_at: datetime
    state: DeliveryState
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    give_up_at: datetime
    last_attempt_at: datetime | None = None
    last_status: int | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None

    @property
    def event_id(self) -> str:
        return event_id(self.shift_id, self.seq)

    def delivered(self, now: datetime, status: int) -> WebhookDelivery:
        return msgspec.structs.replace(
            self,
            state=DeliveryState.DELIVERED,
            attempts=self.attempts + 1,
            last_attempt_at=now,
            last_status=status,
            last_error=None,
            delivered_at=now,
        )

    def failed(
        self, now: datetime, status: int | None, error: str, retry_in: timedelta
    ) -> WebhookDelivery:
        """Tried again after ``retry_in``, or parked if it is ``give_up_at`` already."""
        dead = now >= self.give_up_at
        return msgspec.structs.replace(
            self,
            state=DeliveryState.DEAD if dead else DeliveryState.PENDING,
            attempts=self.attempts + 1,
            last_attempt_at=now,
            last_status=status,
            last_error=error[:MAX_ERROR_LENGTH],
            next_attempt_at=now if dead else now + retry_in,
        )

    def replayed(self, now: datetime) -> WebhookDelivery:
        """Sent again at once, with a fresh day before it is parked again."""
        return msgspec.structs.replace(
            self,
            state=DeliveryState.PENDING,
            next_attempt_at=now,
            give_up_at=now + GIVE_UP_AFTER,
            delivered_at=None,
        )


def event_id(shift_id: UUID, seq: int) -> str:
    """An event's stable id, the same in every delivery and replay: receivers dedupe on it."""
    return f"{shift_id}:{seq}"


class DeliveryClaim(msgspec.Struct, frozen=True, kw_only=True):
    """A delivery held by one sender until ``until``; ``token`` proves the hold."""

    delivery: WebhookDelivery
    token: UUID
    until: datetime


class DeliveryFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Which deliveries of an endpoint a list or a bulk replay takes."""

    state: DeliveryState | None = None
    since: datetime | None = None  # created at or after
    until: datetime | None = None  # created before

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            moment = getattr(self, name)
            if moment is not None and moment.utcoffset() is None:
                raise InvalidInput(name, Message("audit.filter.no_time_zone"))

    def matches(self, delivery: WebhookDelivery) -> bool:
        return (
            (self.state is None or delivery.state is self.state)
            and (self.since is None or delivery.created_at >= self.since)
            and (self.until is None or delivery.created_at < self.until)
        )
