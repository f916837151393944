from __future__ import annotations

from uuid import UUID

from fusionx.core.errors import NotFound
from fusionx.core.model.fleet_events import Stream, WebhookDeliveriesReplayed
from fusionx.core.model.principals import Principal
from fusionx.core.model.webhooks import DeliveryFilter, WebhookDelivery
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.webhook_endpoints import require_webhook_admin
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class ReplayWebhookDeliveries:
    """An owner or admin sends deliveries again: one, or an endpoint's in bulk.

    Rules:
    - owners and admins only; an unknown endpoint or delivery is 404;
    - a replayed delivery is pending again, due at once, with a fresh day of retries
      before it is parked again; its event keeps its id, so a receiver that already
      had it drops the copy;
    - a bulk replay takes the endpoint's deliveries matching the filter (by default
      the dead letters) that are not pending already; among themselves they go out
      in each shift's order, as any pending deliveries do;
    - each replay leaves one audit record, with how many deliveries it sent again.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def one(self, principal: Principal, delivery_id: UUID) -> WebhookDelivery:
        actor = require_webhook_admin(principal)
        now = self._clock.now()
        async with self._uow as uow:
            delivery = await uow.webhook_deliveries.get(delivery_id)
            if delivery is None:
                raise NotFound("webhook delivery", delivery_id)
            replayed = delivery.replayed(now)
            await uow.webhook_deliveries.put(replayed)
            record = WebhookDeliveriesReplayed(
                endpoint_id=delivery.endpoint_id, count=1, delivery_id=delivery.id
            )
            await log_fleet_event(uow, Stream.fleet(), now, actor, record)
            await uow.commit()
        return replayed

    async def bulk(self, principal: Principal, endpoint_id: UUID, which: DeliveryFilter) -> int:
        actor = require_webhook_admin(principal)
        now = self._clock.now()
        async with self._uow as uow:
            if await uow.webhook_endpoints.get(endpoint_id) is None:
                raise NotFound("webhook endpoint", endpoint_id)
            count = await uow.webhook_deliveries.replay(endpoint_id, which, now)
            record = WebhookDeliveriesReplayed(
                endpoint_id=endpoint_id,
                count=count,
                state=which.state,
                since=which.since,
                until=which.until,
            )
            await log_fleet_event(uow, Stream.fleet(), now, actor, record)
            await uow.commit()
        return count
