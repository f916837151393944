from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol
from uuid import UUID

from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.webhooks import WebhookEndpoint


class WebhookEndpointRepository(Protocol):
    """Partners' webhook endpoints, each with its signing secret kept beside it.

    The secret is written with ``add`` and ``set_secret`` and read back only by
    ``secret``: no other method returns it, so what reads endpoints cannot leak it.
    Removing an endpoint removes its deliveries and its secret; afterwards no method
    finds it but ``removed`` (so removing it again can tell "gone" from "never was").
    """

    async def add(self, endpoint: WebhookEndpoint, secret: str) -> None: ...

    async def get(self, endpoint_id: UUID) -> WebhookEndpoint | None: ...

    async def put(self, endpoint: WebhookEndpoint) -> None:
        """Store ``endpoint`` as changed (it exists)."""
        ...

    async def remove(self, endpoint_id: UUID, at: datetime) -> None: ...

    async def removed(self, endpoint_id: UUID) -> bool:
        """Whether the endpoint existed and was removed."""
        ...

    async def listing(self, page: PageRequest) -> Page[WebhookEndpoint]:
        """Every endpoint, oldest first."""
        ...

    async def subscribed(self, event_types: Collection[str]) -> list[WebhookEndpoint]:
        """The active endpoints that want one of ``event_types`` at least."""
        ...

    async def secret(self, endpoint_id: UUID) -> str | None: ...

    async def set_secret(self, endpoint_id: UUID, secret: str) -> None: ...
