from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from fusionx.core.model.webhooks import DeliveryFilter, DeliveryState
from fusionx.core.use_cases.commands.change_webhook_endpoint import ChangeWebhookEndpoint
from fusionx.core.use_cases.commands.delete_webhook_endpoint import DeleteWebhookEndpoint
from fusionx.core.use_cases.commands.register_webhook_endpoint import RegisterWebhookEndpoint
from fusionx.core.use_cases.commands.replay_webhook_deliveries import ReplayWebhookDeliveries
from fusionx.core.use_cases.commands.rotate_webhook_secret import RotateWebhookSecret
from fusionx.core.use_cases.queries.list_webhook_deliveries import ListWebhookDeliveries
from fusionx.core.use_cases.queries.list_webhook_endpoints import ListWebhookEndpoints
from fusionx.entrypoints.http.auth import CurrentPrincipal
from fusionx.entrypoints.http.credential_routes import carries_secrets
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.paging import Paging
from fusionx.entrypoints.http.schemas.webhooks import (
    NewWebhookEndpointBody,
    RegisteredEndpointView,
    ReplayedView,
    ReplayFilterBody,
    RotatedSecretView,
    WebhookDeliveryPage,
    WebhookDeliveryView,
    WebhookEndpointChangeBody,
    WebhookEndpointPage,
    WebhookEndpointView,
)

# ``state`` is a name Litestar keeps for the app's state: the query parameter is renamed.
InState = Annotated[
    DeliveryState | None, QueryParameter(name="state", description="Only those in this state")
]
Since = Annotated[datetime | None, QueryParameter(description="Created at or after (RFC 3339)")]
Until = Annotated[datetime | None, QueryParameter(description="Created before (RFC 3339)")]
ROTATE = "rotate the endpoint's secret: POST /api/v1/webhooks/endpoints/{id}/secret"


class WebhookEndpointsController(Controller):
    """Partners' endpoints for the fleet's shift events: owners and admins."""

    path = "/api/v1/webhooks/endpoints"
    tags = ("webhooks",)
    security = BEARER

    @post(
        operation_id="createWebhookEndpoint",
        summary="Register an endpoint for event types; its signing secret is shown this once",
        responses=problem_responses(400, 401, 403, 413, 422),
        opt=carries_secrets(reissue=ROTATE),
    )
    async def create(
        self,
        data: JSONBody[NewWebhookEndpointBody],
        principal: CurrentPrincipal,
        register_webhook_endpoint: UseCase[RegisterWebhookEndpoint],
    ) -> RegisteredEndpointView:
        registered = await register_webhook_endpoint.execute(principal, data.to_request())
        return RegisteredEndpointView.of_registered(registered)

    @get(
        operation_id="listWebhookEndpoints",
        summary="Every webhook endpoint, oldest first (never their secrets)",
        responses=problem_responses(400, 401, 403, 422),
    )
    async def list_endpoints(
        self,
        principal: CurrentPrincipal,
        list_webhook_endpoints: UseCase[ListWebhookEndpoints],
        page: Paging,
    ) -> WebhookEndpointPage:
        return WebhookEndpointPage.of(await list_webhook_endpoints.execute(principal, page))

    @get(
        "/{endpoint_id:uuid}",
        operation_id="getWebhookEndpoint",
        summary="One webhook endpoint (never its secret)",
        responses=problem_responses(400, 401, 403, 404),
    )
    async def get_endpoint(
        self,
        endpoint_id: FromPath[UUID],
        principal: CurrentPrincipal,
        list_webhook_endpoints: UseCase[ListWebhookEndpoints],
    ) -> WebhookEndpointView:
        return WebhookEndpointView.of(await list_webhook_endpoints.one(principal, endpoint_id))

    @patch(
        "/{endpoint_id:uuid}",
        operation_id="changeWebhookEndpoint",
        summary="Change an endpoint's URL, event types or description, or turn it off or on",
        responses=problem_responses(400, 401, 403, 404, 413, 422),
    )
    async def change(
        self,
        endpoint_id: FromPath[UUID],
        data: JSONBody[WebhookEndpointChangeBody],
        principal: CurrentPrincipal,
        change_webhook_endpoint: UseCase[ChangeWebhookEndpoint],
    ) -> WebhookEndpointView:
        changed = await change_webhook_endpoint.execute(principal, endpoint_id, data.to_request())
        return WebhookEndpointView.of(changed)

    @delete(
        "/{endpoint_id:uuid}",
        operation_id="deleteWebhookEndpoint",
        summary="Remove an endpoint and its deliveries (those pending are never sent)",
        status_code=204,
        responses=problem_responses(400, 401, 403, 404),
    )
    async def remove(
        self,
        endpoint_id: FromPath[UUID],
        principal: CurrentPrincipal,
        delete_webhook_endpoint: UseCase[DeleteWebhookEndpoint],
    ) -> None:
        await delete_webhook_endpoint.execute(principal, endpoint_id)

    @post(
        "/{endpoint_id:uuid}/secret",
        operation_id="rotateWebhookSecret",
        summary="Replace the endpoint's signing secret; the new one is shown this once",
        status_code=200,
        responses=problem_responses(400, 401, 403, 404),
        opt=carries_secrets(reissue=ROTATE),
    )
    async def rotate(
        self,
        endpoint_id: FromPath[UUID],
        principal: CurrentPrincipal,
        rotate_webhook_secret: UseCase[RotateWebhookSecret],
    ) -> RotatedSecretView:
        return RotatedSecretView.of(await rotate_webhook_secret.execute(principal, endpoint_id))

    @get(
        "/{endpoint_id:uuid}/deliveries",
        operation_id="listWebhookDeliveries",
        summary="The endpoint's deliveries, newest first: attempts, last status and error",
        responses=problem_responses(400, 401, 403, 404, 422),
    )
    async def deliveries(
        self,
        *,
        endpoint_id: FromPath[UUID],
        principal: CurrentPrincipal,
        list_webhook_deliveries: UseCase[ListWebhookDeliveries],
        in_state: InState = None,
        since: Since = None,
        until: Until = None,
        page: Paging,
    ) -> WebhookDeliveryPage:
        which = DeliveryFilter(state=in_state, since=since, until=until)
        found = await list_webhook_deliveries.execute(principal, endpoint_id, which, page)
        return WebhookDeliveryPage.of(found)

    @post(
        "/{endpoint_id:uuid}/replay",
        operation_id="replayWebhookDeliveries",
        summary="Send again the endpoint's deliveries that match (by default its dead letters)",
        status_code=200,
        responses=problem_responses(400, 401, 403, 404, 413, 422),
    )
    async def replay_many(
        self,
        endpoint_id: FromPath[UUID],
        data: JSONBody[ReplayFilterBody],
        principal: CurrentPrincipal,
        replay_webhook_deliveries: UseCase[ReplayWebhookDeliveries],
    ) -> ReplayedView:
        count = await replay_webhook_deliveries.bulk(principal, endpoint_id, data.to_filter())
        return ReplayedView(replayed=count)


class WebhookDeliveriesController(Controller):
    path = "/api/v1/webhooks/deliveries"
    tags = ("webhooks",)
    security = BEARER

    @post(
        "/{delivery_id:uuid}/replay",
        operation_id="replayWebhookDelivery",
        summary="Send one delivery again now, with a fresh day of retries",
        status_code=200,
        responses=problem_responses(400, 401, 403, 404),
    )
    async def replay(
        self,
        delivery_id: FromPath[UUID],
        principal: CurrentPrincipal,
        replay_webhook_deliveries: UseCase[ReplayWebhookDeliveries],
    ) -> WebhookDeliveryView:
        return WebhookDeliveryView.of(await replay_webhook_deliveries.one(principal, delivery_id))
