from __future__ import annotations

from collections.abc import Sequence

from fusionx.core.model.events import ShiftEvent
from fusionx.core.model.webhooks import GIVE_UP_AFTER, DeliveryState, WebhookDelivery
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


class PlanWebhookDeliveries:
    """Queue each event a unit of work is committing for the endpoints that want it.

    An ``EventReaction``: the deliveries are written in the same transaction as the
    events, so a committed event always has one delivery per endpoint subscribed to
    its type at that moment, and a rolled-back one has none: no event is missed or
    delivered twice, across restarts and workers. Rules:
    - active endpoints only, each for the event types it chose;
    - a delivery is due at once and parked if it still fails a day after its event;
    - one read of the subscribed endpoints per commit, one write of the deliveries.
    """

    def __init__(self, ids: IdGenerator) -> None:
        self._ids = ids

    async def __call__(self, uow: UnitOfWork, events: Sequence[ShiftEvent]) -> None:
        endpoints = await uow.webhook_endpoints.subscribed({e.type.value for e in events})
        if not endpoints:
            return
        await uow.webhook_deliveries.add_all(
            [
                WebhookDelivery(
                    id=self._ids.new_id(),
                    endpoint_id=endpoint.id,
                    shift_id=event.shift_id,
                    seq=event.seq,
                    event_type=event.type.value,
                    occurred_at=event.at,
                    state=DeliveryState.PENDING,
                    attempts=0,
                    created_at=event.at,
                    next_attempt_at=event.at,
                    give_up_at=event.at + GIVE_UP_AFTER,
                )
                for event in events
                for endpoint in endpoints
                if endpoint.wants(event.type.value)
            ]
        )
