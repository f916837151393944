"""Webhook endpoints and deliveries in memory, and a resolver that asks no DNS server."""

from __future__ import annotations

import ipaddress
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from fusionx.adapters.memory.store import InMemoryTables
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.webhooks import (
    DeliveryClaim,
    DeliveryFilter,
    DeliveryState,
    WebhookDelivery,
    WebhookEndpoint,
)
from fusionx.core.rules.webhook_urls import IpAddress
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.host_resolver import HostUnresolved

# A public address (example.com's) that the memory resolver gives unknown names.
PUBLIC_ADDRESS = "93.184.215.14"


class InMemoryWebhookEndpointRepository:
    def __init__(self, tables: InMemoryTables) -> None:
        self._t = tables

    async def add(self, endpoint: WebhookEndpoint, secret: str) -> None:
        self._t.webhook_endpoints[endpoint.id] = endpoint
        self._t.webhook_secrets[endpoint.id] = secret

    async def get(self, endpoint_id: UUID) -> WebhookEndpoint | None:
        return self._t.webhook_endpoints.get(endpoint_id)

    async def put(self, endpoint: WebhookEndpoint) -> None:
        self._t.webhook_endpoints[endpoint.id] = endpoint

    async def remove(self, endpoint_id: UUID, at: datetime) -> None:
        if self._t.webhook_endpoints.pop(endpoint_id, None) is not None:
            self._t.webhook_removed[endpoint_id] = at
        self._t.webhook_secrets.pop(endpoint_id, None)
        for delivery in list(self._t.webhook_deliveries.values()):
            if delivery.endpoint_id == endpoint_id:
                del self._t.webhook_deliveries[delivery.id]
                self._t.webhook_claims.pop(delivery.id, None)

    async def removed(self, endpoint_id: UUID) -> bool:
        return endpoint_id in self._t.webhook_removed

    async def listing(self, page: PageRequest) -> Page[WebhookEndpoint]:
        rows = sorted(self._t.webhook_endpoints.values(), key=lambda e: (e.created_at, e.id))
        return Page.of_list(rows, page)

    async def subscribed(self, event_types: Collection[str]) -> list[WebhookEndpoint]:
        return sorted(
            (
                e
                for e in self._t.webhook_endpoints.values()
                if any(e.wants(event_type) for event_type in event_types)
            ),
            key=lambda e: e.id,
        )

    async def secret(self, endpoint_id: UUID) -> str | None:
        return self._t.webhook_secrets.get(endpoint_id)

    async def set_secret(self, endpoint_id: UUID, secret: str) -> None:
        self._t.webhook_secrets[endpoint_id] = secret


class InMemoryWebhookDeliveryQueue:
    def __init__(self, tables: InMemoryTables) -> None:
        self._t = tables

    async def add_all(self, deliveries: Sequence[WebhookDelivery]) -> None:
        taken = {(d.endpoint_id, d.shift_id, d.seq) for d in self._t.webhook_deliveries.values()}
        for delivery in deliveries:
            key = (delivery.endpoint_id, delivery.shift_id, delivery.seq)
            if key in taken:  # the unique key of the SQL table
                raise UniqueViolation("endpoint_id, shift_id, seq")
            taken.add(key)
            self._t.webhook_deliveries[delivery.id] = delivery

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[DeliveryClaim]:
        pending = [
            d for d in self._t.webhook_deliveries.values() if d.state is DeliveryState.PENDING
        ]
        heads: dict[tuple[UUID, UUID], WebhookDelivery] = {}
        for delivery in pending:
            line = (delivery.endpoint_id, delivery.shift_id)
            if line not in heads or delivery.seq < heads[line].seq:
                heads[line] = delivery
        endpoints = self._t.webhook_endpoints
        due = sorted(
            (
                d
                for d in heads.values()
                if d.next_attempt_at <= now
                and self._t.webhook_claims.get(d.id, (None, now))[1] <= now
                and d.endpoint_id in endpoints
                and endpoints[d.endpoint_id].active
            ),
            key=lambda d: (d.next_attempt_at, d.id),
        )[:limit]
        token, until = uuid4(), now + lease
        for delivery in due:
            self._t.webhook_claims[delivery.id] = (token, until)
        return [DeliveryClaim(delivery=d, token=token, until=until) for d in due]

    async def finish(self, claim: DeliveryClaim, updated: WebhookDelivery) -> bool:
        delivery_id = claim.delivery.id
        held = self._t.webhook_claims.get(delivery_id, (None, None))[0] == claim.token
        if held and delivery_id in self._t.webhook_deliveries:
            del self._t.webhook_claims[delivery_id]
            self._t.webhook_deliveries[delivery_id] = updated
            return True
        return False

    async def get(self, delivery_id: UUID) -> WebhookDelivery | None:
        return self._t.webhook_deliveries.get(delivery_id)

    async def put(self, delivery: WebhookDelivery) -> None:
        self._t.webhook_deliveries[delivery.id] = delivery
        self._t.webhook_claims.pop(delivery.id, None)

    async def listing(
        self, endpoint_id: UUID, which: DeliveryFilter, page: PageRequest
    ) -> Page[WebhookDelivery]:
        rows = sorted(
            (
                d
                for d in self._t.webhook_deliveries.values()
                if d.endpoint_id == endpoint_id and which.matches(d)
            ),
            key=lambda d: (d.created_at, d.shift_id, d.seq, d.id),
            reverse=True,
        )
        return Page.of_list(rows, page)

    async def replay(self, endpoint_id: UUID, which: DeliveryFilter, now: datetime) -> int:
        chosen = [
            d
            for d in self._t.webhook_deliveries.values()
            if d.endpoint_id == endpoint_id
            and d.state is not DeliveryState.PENDING
            and which.matches(d)
        ]
        for delivery in chosen:
            await self.put(delivery.replayed(now))
        return len(chosen)


class StaticHostResolver:
    """``HostResolver`` from a table: the names a test gives, else one public address
    for any name (``unresolvable`` names have none). No DNS server is asked."""

    def __init__(
        self,
        names: Mapping[str, Sequence[str]] | None = None,
        *,
        unresolvable: Collection[str] = (),
    ) -> None:
        self._names = dict(names or {})
        self._unresolvable = frozenset(unresolvable)

    def point(self, host: str, *addresses: str) -> None:
        """``host`` resolves to ``addresses`` from now on (DNS changed)."""
        self._names[host] = addresses

    async def resolve(self, host: str, port: int) -> list[IpAddress]:  # noqa: ARG002 - the port's
        if host in self._unresolvable:
            raise HostUnresolved(host)
        return [ipaddress.ip_address(a) for a in self._names.get(host, (PUBLIC_ADDRESS,))]
