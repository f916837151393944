"""Senders racing for webhook deliveries, as every worker of every instance does: each
event reaches the endpoint exactly once (the receiver answers 2xx), and each shift's
events in order, never two of one shift at once.

On PostgreSQL the claims overlap for real and skip each other's locked rows; on SQLite
they serialize, guarded by the lease condition in the claiming statement.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from fusionx.adapters.memory.clock import ManualClock
from fusionx.adapters.memory.webhooks import StaticHostResolver
from fusionx.core.model.events import MenuChanged, NewEvent
from fusionx.core.model.webhooks import (
    GIVE_UP_AFTER,
    DeliveryState,
    WebhookDelivery,
    WebhookPolicy,
)
from fusionx.core.use_cases.commands.deliver_webhooks import DeliverWebhooks
from fusionx.entrypoints.http.schemas.stream import public_data
from fusionx.ports.webhook_sender import OutgoingWebhook, WebhookAnswer
from tests.contract.test_webhooks import an_endpoint
from tests.support.databases import MigratedDatabase
from tests.support.entities import T0, new_id
from tests.support.races import race
from tests.support.scenes import a_shift_scene

SHIFTS, EVENTS, SENDERS = 3, 8, 6


class SlowReceiver:
    """Answers 204 after a moment, noting who is in flight per shift."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, int]] = []
        self.in_flight: set[str] = set()
        self.overlaps = 0

    async def send(self, request: OutgoingWebhook) -> WebhookAnswer:
        shift, _, seq = request.headers["FusionX-Event-Id"].rpartition(":")
        if shift in self.in_flight:
            self.overlaps += 1
        self.in_flight.add(shift)
        await asyncio.sleep(0.002)
        self.sent.append((shift, int(seq)))
        self.in_flight.discard(shift)
        return WebhookAnswer(status=204)


async def test_racing_senders_deliver_each_event_once_in_each_shifts_order(
    racing_database: MigratedDatabase,
) -> None:
    units = racing_database.database.unit_of_work
    endpoint = an_endpoint()
    deliveries = []
    async with units() as uow:
        await uow.webhook_endpoints.add(endpoint, "whsec_race")
        await uow.commit()
    for _ in range(SHIFTS):
        scene = await a_shift_scene(units)
        async with units() as uow:
            for n in range(EVENTS):
                at = T0 + timedelta(seconds=n)
                data = MenuChanged(what="item")
                await uow.events.append(NewEvent(shift_id=scene.shift.id, at=at, data=data))
            await uow.commit()
        deliveries += [
            WebhookDelivery(
                id=new_id(), endpoint_id=endpoint.id, shift_id=scene.shift.id, seq=seq,
                event_type="menu.changed", occurred_at=T0, state=DeliveryState.PENDING,
                attempts=0, created_at=T0, next_attempt_at=T0, give_up_at=T0 + GIVE_UP_AFTER,
            )
            for seq in range(1, EVENTS + 1)
        ]  # fmt: skip
    async with units() as uow:
        await uow.webhook_deliveries.add_all(deliveries)
        await uow.commit()
    receiver = SlowReceiver()
    clock = ManualClock(T0 + timedelta(minutes=1))

    async def sender(_: int) -> int:
        deliver = DeliverWebhooks(
            units, clock, StaticHostResolver(), receiver, public_data, WebhookPolicy(), batch=2
        )
        sent = 0
        for _round in range(200):
            sent += await deliver.run_once()
            if len(receiver.sent) == len(deliveries):
                return sent
            await asyncio.sleep(0)
        return sent

    await race(SENDERS, sender)

    assert sorted(receiver.sent) == sorted({(str(d.shift_id), d.seq) for d in deliveries})
    for shift in {str(d.shift_id) for d in deliveries}:
        assert [seq for s, seq in receiver.sent if s == shift] == list(range(1, EVENTS + 1))
    assert receiver.overlaps == 0
    async with units() as uow:
        for delivery in deliveries:
            found = await uow.webhook_deliveries.get(delivery.id)
            assert found is not None
            assert (found.state, found.attempts) == (DeliveryState.DELIVERED, 1)
