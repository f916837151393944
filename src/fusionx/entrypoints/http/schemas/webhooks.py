"""Webhook endpoints and deliveries on the wire. A secret appears in two answers only:
the endpoint's creation and the rotation of its secret."""

from __future__ import annotations

from typing import Annotated, Self
from uuid import UUID

import msgspec

from fusionx.core.model.events import EventType
from fusionx.core.model.webhooks import (
    DeliveryFilter,
    DeliveryState,
    WebhookDelivery,
    WebhookEndpoint,
)
from fusionx.core.rules.webhook_urls import MAX_URL_LENGTH
from fusionx.core.use_cases.commands.change_webhook_endpoint import WebhookEndpointChange
from fusionx.core.use_cases.commands.register_webhook_endpoint import (
    RegisteredEndpoint,
    RegisterWebhookEndpointRequest,
)
from fusionx.core.use_cases.commands.rotate_webhook_secret import RotatedSecret
from fusionx.core.use_cases.steps.webhook_endpoints import MAX_DESCRIPTION
from fusionx.entrypoints.http.paging import PageView
from fusionx.entrypoints.http.schemas.actors import ActorView
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime, text

Url = Annotated[
    str,
    text(
        MAX_URL_LENGTH,
        description="https:// (http:// only where the operator allows it); its host must "
        "resolve to public addresses only, unless the operator allows private ones",
        examples=["https://hooks.partner.example/fusionx"],
    ),
]
EventTypes = Annotated[
    list[EventType],
    msgspec.Meta(
        min_length=1,
        max_length=len(EventType),
        description="Public event types of the shift stream (docs/events.md)",
    ),
]
Description = Annotated[str, text(MAX_DESCRIPTION)]


class NewWebhookEndpointBody(RequestBody, frozen=True, kw_only=True):
    url: Url
    event_types: EventTypes
    description: Description | None = None
    active: bool = True

    def to_request(self) -> RegisterWebhookEndpointRequest:
        return RegisterWebhookEndpointRequest(
            url=self.url,
            event_types=[t.value for t in self.event_types],
            description=self.description,
            active=self.active,
        )


class WebhookEndpointChangeBody(RequestBody, frozen=True, kw_only=True):
    """What is left out stays as it is."""

    url: Url | msgspec.UnsetType = msgspec.UNSET
    event_types: EventTypes | msgspec.UnsetType = msgspec.UNSET
    description: Description | msgspec.UnsetType | None = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET

    def to_request(self) -> WebhookEndpointChange:
        types = self.event_types
        return WebhookEndpointChange(
            url=self.url,
            event_types=msgspec.UNSET
            if isinstance(types, msgspec.UnsetType)
            else [t.value for t in types],
            description=self.description,
            active=self.active,
        )


class ReplayFilterBody(RequestBody, frozen=True, kw_only=True):
    """Which of the endpoint's deliveries to send again (those pending are left as they
    are): by default, every dead letter."""

    state: DeliveryState | None = DeliveryState.DEAD
    since: UtcDateTime | None = None
    until: UtcDateTime | None = None

    def to_filter(self) -> DeliveryFilter:
        return DeliveryFilter(state=self.state, since=self.since, until=self.until)


class WebhookEndpointView(msgspec.Struct, frozen=True, kw_only=True):
    """An endpoint, never its secret."""

    id: UUID
    url: str
    event_types: list[str]
    description: str | None
    active: bool
    created_at: UtcDateTime
    created_by: ActorView
    updated_at: UtcDateTime

    @classmethod
    def of(cls, endpoint: WebhookEndpoint) -> Self:
        return cls(
            id=endpoint.id, url=endpoint.url, event_types=list(endpoint.event_types),
            description=endpoint.description, active=endpoint.active,
            created_at=endpoint.created_at, created_by=ActorView.of(endpoint.created_by),
            updated_at=endpoint.updated_at,
        )  # fmt: skip


class RegisteredEndpointView(WebhookEndpointView, frozen=True, kw_only=True):
    """The endpoint, and its signing secret: shown this once, kept by the server to
    sign with, never shown again (rotate it to get a new one)."""

    secret: str

    @classmethod
    def of_registered(cls, registered: RegisteredEndpoint) -> Self:
        view = WebhookEndpointView.of(registered.endpoint)
        return cls(**msgspec.structs.asdict(view), secret=registered.secret)


class RotatedSecretView(msgspec.Struct, frozen=True, kw_only=True):
    """The new signing secret, shown this once; it signs every request from now on."""

    endpoint_id: UUID
    secret: str

    @classmethod
    def of(cls, rotated: RotatedSecret) -> Self:
        return cls(endpoint_id=rotated.endpoint_id, secret=rotated.secret)


class WebhookEndpointPage(PageView, frozen=True, kw_only=True):
    items: list[WebhookEndpointView]
    view = WebhookEndpointView.of


class WebhookDeliveryView(msgspec.Struct, frozen=True, kw_only=True):
    """One event on its way to the endpoint: ``event_id`` is the body's ``id``."""

    id: UUID
    endpoint_id: UUID
    event_id: str
    event_type: str
    shift_id: UUID
    seq: int
    occurred_at: UtcDateTime
    state: DeliveryState
    attempts: int
    created_at: UtcDateTime
    next_attempt_at: UtcDateTime | None
    give_up_at: UtcDateTime
    last_attempt_at: UtcDateTime | None
    last_status: int | None
    last_error: str | None
    delivered_at: UtcDateTime | None

    @classmethod
    def of(cls, d: WebhookDelivery) -> Self:
        pending = d.state is DeliveryState.PENDING
        return cls(
            id=d.id, endpoint_id=d.endpoint_id, event_id=d.event_id, event_type=d.event_type,
            shift_id=d.shift_id, seq=d.seq, occurred_at=d.occurred_at, state=d.state,
            attempts=d.attempts, created_at=d.created_at,
            next_attempt_at=d.next_attempt_at if pending else None, give_up_at=d.give_up_at,
            last_attempt_at=d.last_attempt_at, last_status=d.last_status,
            last_error=d.last_error, delivered_at=d.delivered_at,
        )  # fmt: skip


class WebhookDeliveryPage(PageView, frozen=True, kw_only=True):
    items: list[WebhookDeliveryView]
    view = WebhookDeliveryView.of


class ReplayedView(msgspec.Struct, frozen=True, kw_only=True):
    """How many deliveries were sent again."""

    replayed: int
