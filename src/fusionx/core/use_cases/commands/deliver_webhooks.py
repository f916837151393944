from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from datetime import timedelta

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.model.events import ShiftEvent
from fusionx.core.model.webhooks import DeliveryClaim, WebhookDelivery, WebhookPolicy
from fusionx.core.rules.webhook_retries import retry_delay
from fusionx.core.rules.webhook_signatures import signature_header
from fusionx.core.use_cases.steps.webhook_endpoints import checked_target
from fusionx.ports.clock import Clock
from fusionx.ports.event_payloads import EventPayloads
from fusionx.ports.host_resolver import HostResolver
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from fusionx.ports.webhook_sender import OutgoingWebhook, WebhookAnswer, WebhookSender

# Longer than a request's timeout, so a live sender keeps its claim; short enough that
# a dead sender's deliveries (and the shifts queued behind them) move on soon.
LEASE = timedelta(seconds=60)
BATCH = 20
USER_AGENT = "FusionX-Webhooks/1"


class Envelope(msgspec.Struct, frozen=True, kw_only=True):
    """The body of every webhook request (``docs/webhooks.md``)."""

    id: str
    type: str
    occurred_at: str
    shift_id: str
    seq: int
    data: object


class DeliverWebhooks:
    """Send the due webhook deliveries, each at least once, in order per shift.

    Rules:
    - a batch is claimed in its own transaction, for a lease; each delivery is sent
      outside any transaction and its outcome recorded after, so a sender dying
      mid-send loses nothing: the lease runs out and another sends it again (the
      receiver dedupes on the event's id);
    - only the head of each endpoint's line for a shift is claimed (the queue's rule),
      so a later event of a shift is never sent before an earlier one is delivered or
      parked; different shifts and endpoints go out side by side;
    - the endpoint's URL is checked again before every request (its host may resolve
      elsewhere by now) and the request goes to the very address checked; no redirect
      is followed;
    - each request is signed with the endpoint's current secret over the timestamp and
      the exact body; any 2xx answer delivers it; anything else is retried with
      exponential backoff and full jitter (``core.rules.webhook_retries``), and a
      failure a day after the event parks the delivery as a dead letter.
    Runs as one call (``run_once``) so any scheduler may drive it: a per-worker loop
    today, a job queue tomorrow; concurrent runs share the work through the claims.
    """

    def __init__(  # noqa: PLR0917 - the ports it needs, and its tuning
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        resolver: HostResolver,
        sender: WebhookSender,
        payloads: EventPayloads,
        policy: WebhookPolicy,
        *,
        lease: timedelta = LEASE,
        batch: int = BATCH,
        jitter: Callable[[], float] = random.random,  # not a secret: spreads retries
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._resolver = resolver
        self._sender = sender
        self._payloads = payloads
        self._policy = policy
        self._lease = lease
        self._batch = batch
        self._jitter = jitter

    async def run_once(self) -> int:
        """Claim and send one batch; the number of deliveries attempted."""
        async with self._uow() as uow:
            claims = await uow.webhook_deliveries.claim(self._clock.now(), self._lease, self._batch)
            await uow.commit()
        await asyncio.gather(*(self._deliver(claim) for claim in claims))
        return len(claims)

    async def _deliver(self, claim: DeliveryClaim) -> None:
        delivery = claim.delivery
        async with self._uow() as uow:
            endpoint = await uow.webhook_endpoints.get(delivery.endpoint_id)
            secret = await uow.webhook_endpoints.secret(delivery.endpoint_id)
            found = await uow.events.since(delivery.shift_id, delivery.seq - 1, limit=1)
        if endpoint is None or secret is None:
            return  # removed meanwhile, deliveries with it
        if not found or found[0].seq != delivery.seq:
            answer = WebhookAnswer(error="the event is no longer in the log")
        else:
            answer = await self._send(endpoint.url, secret, delivery, found[0])
        await self._record(claim, answer)

    async def _send(
        self, url: str, secret: str, delivery: WebhookDelivery, event: ShiftEvent
    ) -> WebhookAnswer:
        try:
            _target, address = await checked_target(self._resolver, url, self._policy)
        except InvalidInput as refused:
            params = ", ".join(f"{k}={v}" for k, v in refused.message.params.items())
            return WebhookAnswer(error=f"target refused: {refused.message.key} {params}".strip())
        body = msgspec.json.encode(
            Envelope(
                id=delivery.event_id,
                type=delivery.event_type,
                occurred_at=event.at.isoformat().replace("+00:00", "Z"),
                shift_id=str(event.shift_id),
                seq=event.seq,
                data=self._payloads(event.data),
            )
        )
        timestamp = int(self._clock.now().timestamp())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "FusionX-Event-Id": delivery.event_id,
            "FusionX-Event-Type": delivery.event_type,
            "FusionX-Delivery-Id": str(delivery.id),
            "FusionX-Signature": signature_header(secret, timestamp, body),
        }
        return await self._sender.send(
            OutgoingWebhook(url=url, address=str(address), headers=headers, body=body)
        )

    async def _record(self, claim: DeliveryClaim, answer: WebhookAnswer) -> None:
        now = self._clock.now()
        delivery = claim.delivery
        if answer.ok and answer.status is not None:
            updated = delivery.delivered(now, answer.status)
        else:
            error = answer.error or f"HTTP {answer.status}"
            retry_in = retry_delay(delivery.attempts + 1, self._jitter())
            updated = delivery.failed(now, answer.status, error, retry_in)
        async with self._uow() as uow:
            await uow.webhook_deliveries.finish(claim, updated)
            await uow.commit()
