from __future__ import annotations

from uuid import UUID

from fusionx.core.errors import NotFound
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.model.webhooks import DeliveryFilter, WebhookDelivery
from fusionx.core.use_cases.steps.webhook_endpoints import require_webhook_admin
from fusionx.ports.unit_of_work import UnitOfWork


class ListWebhookDeliveries:
    """Owners and admins read an endpoint's deliveries, newest first, filtered by state
    and creation time: attempts, the last status code and error, when it goes next."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, principal: Principal, endpoint_id: UUID, which: DeliveryFilter, page: PageRequest
    ) -> Page[WebhookDelivery]:
        require_webhook_admin(principal)
        async with self._uow as uow:
            if await uow.webhook_endpoints.get(endpoint_id) is None:
                raise NotFound("webhook endpoint", endpoint_id)
            return await uow.webhook_deliveries.listing(endpoint_id, which, page)
