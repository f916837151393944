from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.errors import NotFound
from fusionx.core.model.fleet_events import Stream, WebhookSecretRotated
from fusionx.core.model.principals import Principal
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.webhook_endpoints import (
    new_signing_secret,
    require_webhook_admin,
)
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class RotatedSecret(msgspec.Struct, frozen=True, kw_only=True):
    endpoint_id: UUID
    secret: str


class RotateWebhookSecret:
    """An owner or admin replaces an endpoint's signing secret.

    Rules: owners and admins only; an unknown endpoint is 404; the new secret is
    returned once and signs every request sent from the commit on (retries of older
    deliveries included); the old one signs nothing more. The audit record names the
    endpoint, never a secret.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, endpoint_id: UUID) -> RotatedSecret:
        actor = require_webhook_admin(principal)
        secret = new_signing_secret()
        async with self._uow as uow:
            if await uow.webhook_endpoints.get(endpoint_id) is None:
                raise NotFound("webhook endpoint", endpoint_id)
            await uow.webhook_endpoints.set_secret(endpoint_id, secret)
            await log_fleet_event(
                uow,
                Stream.fleet(),
                self._clock.now(),
                actor,
                WebhookSecretRotated(endpoint_id=endpoint_id),
            )
            await uow.commit()
        return RotatedSecret(endpoint_id=endpoint_id, secret=secret)
