from __future__ import annotations

from collections.abc import Sequence

import msgspec

from fusionx.core.model.fleet_events import Stream, WebhookEndpointCreated
from fusionx.core.model.principals import Principal
from fusionx.core.model.webhooks import WebhookEndpoint, WebhookPolicy
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.webhook_endpoints import (
    MAX_DESCRIPTION,
    checked_event_types,
    checked_target,
    new_signing_secret,
    require_webhook_admin,
)
from fusionx.ports.clock import Clock
from fusionx.ports.host_resolver import HostResolver
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


class RegisterWebhookEndpointRequest(msgspec.Struct, frozen=True, kw_only=True):
    url: str
    event_types: Sequence[str]
    description: str | None = None
    active: bool = True


class RegisteredEndpoint(msgspec.Struct, frozen=True, kw_only=True):
    endpoint: WebhookEndpoint
    secret: str


class RegisterWebhookEndpoint:
    """An owner or admin registers a partner's endpoint for some shift event types.

    Rules:
    - owners and admins only;
    - the URL passes the request-forgery rules (``core.rules.webhook_urls``): https, a
      host whose every address is public, unless the operator allows otherwise;
    - at least one event type, each a public one (``docs/events.md``);
    - the signing secret is made here and returned once; it is stored to sign with and
      never shown again (rotating it makes a new one). The audit record holds the
      endpoint, never the secret;
    - events logged from now on are delivered to it; earlier ones are not.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        ids: IdGenerator,
        resolver: HostResolver,
        policy: WebhookPolicy,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._resolver = resolver
        self._policy = policy

    async def execute(
        self, principal: Principal, request: RegisterWebhookEndpointRequest
    ) -> RegisteredEndpoint:
        actor = require_webhook_admin(principal)
        event_types = checked_event_types(request.event_types)
        description = (
            None
            if request.description is None
            else require_text("description", request.description, max_length=MAX_DESCRIPTION)
        )
        await checked_target(self._resolver, request.url, self._policy)
        now = self._clock.now()
        endpoint = WebhookEndpoint(
            id=self._ids.new_id(),
            url=request.url,
            event_types=event_types,
            description=description,
            active=request.active,
            created_at=now,
            created_by=actor,
            updated_at=now,
        )
        secret = new_signing_secret()
        async with self._uow as uow:
            await uow.webhook_endpoints.add(endpoint, secret)
            await log_fleet_event(
                uow, Stream.fleet(), now, actor, WebhookEndpointCreated(endpoint=endpoint)
            )
            await uow.commit()
        return RegisteredEndpoint(endpoint=endpoint, secret=secret)
