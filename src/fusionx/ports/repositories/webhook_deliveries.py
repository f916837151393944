from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.webhooks import DeliveryClaim, DeliveryFilter, WebhookDelivery


class WebhookDeliveryQueue(Protocol):
    """Deliveries of shift events to webhook endpoints, and what became of them.

    Deliveries are added in the unit of work of the events they carry; at most one per
    endpoint, shift and seq. ``claim`` hands each due delivery to one sender at a time,
    for a lease (a claim not finished before its lease ends is handed out again), and
    only the head of its line: a pending delivery is claimed only when no pending
    delivery of the same endpoint and shift has a smaller seq, so an endpoint receives
    each shift's events in order, one at a time, whatever the number of senders.
    """

    async def add_all(self, deliveries: Sequence[WebhookDelivery]) -> None:
        """Add every one of ``deliveries`` at once (one statement on SQL)."""
        ...

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[DeliveryClaim]:
        """Pending deliveries due at ``now``, heads of their lines, that nobody holds,
        oldest due first; each held until ``now + lease`` and skipped by concurrent claims."""
        ...

    async def finish(self, claim: DeliveryClaim, updated: WebhookDelivery) -> bool:
        """Store ``updated`` and release the claim, if the claim is still held (else
        False, and nothing changes: another sender holds the delivery now)."""
        ...

    async def get(self, delivery_id: UUID) -> WebhookDelivery | None: ...

    async def put(self, delivery: WebhookDelivery) -> None:
        """Store ``delivery`` as changed by hand (a replay), dropping any claim on it."""
        ...

    async def listing(
        self, endpoint_id: UUID, which: DeliveryFilter, page: PageRequest
    ) -> Page[WebhookDelivery]:
        """An endpoint's deliveries matching ``which``, newest first."""
        ...

    async def replay(self, endpoint_id: UUID, which: DeliveryFilter, now: datetime) -> int:
        """Send again the endpoint's deliveries matching ``which`` that are not pending
        (``WebhookDelivery.replayed``); how many."""
        ...
