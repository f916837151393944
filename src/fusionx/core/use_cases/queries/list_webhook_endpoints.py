from __future__ import annotations

from uuid import UUID

from fusionx.core.errors import NotFound
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.model.webhooks import WebhookEndpoint
from fusionx.core.use_cases.steps.webhook_endpoints import require_webhook_admin
from fusionx.ports.unit_of_work import UnitOfWork


class ListWebhookEndpoints:
    """Owners and admins read the webhook endpoints, oldest first: never their secrets."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, principal: Principal, page: PageRequest) -> Page[WebhookEndpoint]:
        require_webhook_admin(principal)
        async with self._uow as uow:
            return await uow.webhook_endpoints.listing(page)

    async def one(self, principal: Principal, endpoint_id: UUID) -> WebhookEndpoint:
        require_webhook_admin(principal)
        async with self._uow as uow:
            endpoint = await uow.webhook_endpoints.get(endpoint_id)
        if endpoint is None:
            raise NotFound("webhook endpoint", endpoint_id)
        return endpoint
