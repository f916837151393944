from __future__ import annotations

from uuid import UUID

from fusionx.core.errors import NotFound
from fusionx.core.model.fleet_events import Stream, WebhookEndpointDeleted
from fusionx.core.model.principals import Principal
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.webhook_endpoints import require_webhook_admin
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class DeleteWebhookEndpoint:
    """An owner or admin removes an endpoint, with its deliveries (those pending are
    never sent) and its secret.

    Rules: owners and admins only; an unknown endpoint is 404; removing one already
    removed changes nothing and succeeds (a retried DELETE), leaving no second record.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, endpoint_id: UUID) -> None:
        actor = require_webhook_admin(principal)
        async with self._uow as uow:
            endpoint = await uow.webhook_endpoints.get(endpoint_id)
            if endpoint is None:
                if await uow.webhook_endpoints.removed(endpoint_id):
                    return
                raise NotFound("webhook endpoint", endpoint_id)
            now = self._clock.now()
            await uow.webhook_endpoints.remove(endpoint_id, now)
            deleted = WebhookEndpointDeleted(endpoint=endpoint)
            await log_fleet_event(uow, Stream.fleet(), now, actor, deleted)
            await uow.commit()
