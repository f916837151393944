from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.fleet_events import Stream, WebhookEndpointChanged
from fusionx.core.model.principals import Principal
from fusionx.core.model.webhooks import WebhookEndpoint, WebhookPolicy
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.webhook_endpoints import (
    MAX_DESCRIPTION,
    checked_event_types,
    checked_target,
    require_webhook_admin,
)
from fusionx.ports.clock import Clock
from fusionx.ports.host_resolver import HostResolver
from fusionx.ports.unit_of_work import UnitOfWork


class WebhookEndpointChange(msgspec.Struct, frozen=True, kw_only=True):
    """What to change; a field left ``UNSET`` stays as it is."""

    url: str | msgspec.UnsetType = msgspec.UNSET
    event_types: Sequence[str] | msgspec.UnsetType = msgspec.UNSET
    description: str | msgspec.UnsetType | None = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class ChangeWebhookEndpoint:
    """An owner or admin changes an endpoint's URL, event types, description, or
    turns it off and on.

    Rules:
    - owners and admins only; an unknown endpoint is 404;
    - a new URL passes the same request-forgery rules as at registration;
    - an inactive endpoint gets no new deliveries, and those it has wait: they go out
      (in order) once it is active again, or are parked a day after their event;
    - a change that changes nothing leaves no audit record.
    """

    def __init__(
        self, uow: UnitOfWork, clock: Clock, resolver: HostResolver, policy: WebhookPolicy
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._resolver = resolver
        self._policy = policy

    async def execute(
        self, principal: Principal, endpoint_id: UUID, change: WebhookEndpointChange
    ) -> WebhookEndpoint:
        actor = require_webhook_admin(principal)
        fields: dict[str, object] = {}
        if not isinstance(change.url, msgspec.UnsetType):
            await checked_target(self._resolver, change.url, self._policy)
            fields["url"] = change.url
        if not isinstance(change.event_types, msgspec.UnsetType):
            fields["event_types"] = checked_event_types(change.event_types)
        if not isinstance(change.description, msgspec.UnsetType):
            fields["description"] = (
                None
                if change.description is None
                else require_text("description", change.description, max_length=MAX_DESCRIPTION)
            )
        if not isinstance(change.active, msgspec.UnsetType):
            fields["active"] = change.active
        async with self._uow as uow:
            before = await uow.webhook_endpoints.get(endpoint_id)
            if before is None:
                raise NotFound("webhook endpoint", endpoint_id)
            after = msgspec.structs.replace(before, **fields)
            if after == before:
                return before
            now = self._clock.now()
            after = msgspec.structs.replace(after, updated_at=now)
            await uow.webhook_endpoints.put(after)
            await log_fleet_event(
                uow, Stream.fleet(), now, actor, WebhookEndpointChanged(before=before, after=after)
            )
            await uow.commit()
        return after
