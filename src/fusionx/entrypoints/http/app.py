"""The Litestar application factory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from litestar import Litestar
from litestar.di import Provide

from fusionx.entrypoints.bootstrap import Adapters
from fusionx.entrypoints.http.auth import provide_principal
from fusionx.entrypoints.http.client_address import client_address_provider
from fusionx.entrypoints.http.controllers.accounts import AccountLinksController
from fusionx.entrypoints.http.controllers.analytics import AnalyticsController
from fusionx.entrypoints.http.controllers.audit import AuditController
from fusionx.entrypoints.http.controllers.auth import AuthController
from fusionx.entrypoints.http.controllers.capacity import (
    ShiftCapacityController,
    TruckCapacityController,
)
from fusionx.entrypoints.http.controllers.catalogue import (
    MenuCategoriesController,
    MenuItemsController,
    ModifierGroupsController,
)
from fusionx.entrypoints.http.controllers.checkout import CheckoutController
from fusionx.entrypoints.http.controllers.close_out import ShiftCloseOutController
from fusionx.entrypoints.http.controllers.customers import (
    CustomerAccountController,
    CustomerSignInController,
)
from fusionx.entrypoints.http.controllers.devices import (
    DevicesController,
    HeartbeatController,
    TruckDevicesController,
)
from fusionx.entrypoints.http.controllers.discovery import LocationsController, MyTrucksController
from fusionx.entrypoints.http.controllers.events import ShiftEventsController
from fusionx.entrypoints.http.controllers.exports import ExportsController
from fusionx.entrypoints.http.controllers.fleet_live import FleetLiveController
from fusionx.entrypoints.http.controllers.graphql import graphql_controller
from fusionx.entrypoints.http.controllers.health import HealthController
from fusionx.entrypoints.http.controllers.hours import LocationHoursController, TruckHoursController
from fusionx.entrypoints.http.controllers.inventory import ShiftInventoryController
from fusionx.entrypoints.http.controllers.invitations import StaffInvitationsController
from fusionx.entrypoints.http.controllers.me import MeController
from fusionx.entrypoints.http.controllers.notifications import (
    PushTokenController,
    SmsStatusController,
    StockThresholdsController,
    TruckNotificationsController,
)
from fusionx.entrypoints.http.controllers.order_details import OrdersController
from fusionx.entrypoints.http.controllers.orders import ShiftOrdersController
from fusionx.entrypoints.http.controllers.pairing import PairingCodesController
from fusionx.entrypoints.http.controllers.payments import PaymentWebhooksController
from fusionx.entrypoints.http.controllers.reviews import ReviewsController, TruckReviewsController
from fusionx.entrypoints.http.controllers.sessions import (
    MySessionsController,
    StaffSessionsController,
)
from fusionx.entrypoints.http.controllers.shifts import ShiftsController
from fusionx.entrypoints.http.controllers.staff import StaffController
from fusionx.entrypoints.http.controllers.storefront import PublicTrucksController
from fusionx.entrypoints.http.controllers.summary import ShiftSummaryController
from fusionx.entrypoints.http.controllers.tickets import KitchenFeedController, TicketsController
from fusionx.entrypoints.http.controllers.tracking import TrackingController
from fusionx.entrypoints.http.controllers.truck_menu import (
    ShiftSpecialsController,
    TruckMenuController,
)
from fusionx.entrypoints.http.controllers.trucks import TrucksController
from fusionx.entrypoints.http.controllers.webhooks import (
    WebhookDeliveriesController,
    WebhookEndpointsController,
)
from fusionx.entrypoints.http.decoding import before_handlers
from fusionx.entrypoints.http.dependencies import (
    adapters_provider,
    provide_languages,
    provide_user_agent,
    use_case_providers,
)
from fusionx.entrypoints.http.idempotency import document_idempotency, idempotency_middleware
from fusionx.entrypoints.http.observability import observability, untraced_app_building
from fusionx.entrypoints.http.openapi import openapi_config
from fusionx.entrypoints.http.paging import provide_page
from fusionx.entrypoints.http.problems import exception_handlers
from fusionx.entrypoints.http.rate_limits import PUBLIC, rate_limit_middleware, unknown_policies
from fusionx.entrypoints.http.request_context import RequestContextMiddleware
from fusionx.entrypoints.http.security_headers import SecurityHeadersMiddleware
from fusionx.entrypoints.http.stream_drain import StreamDrainMiddleware
from fusionx.entrypoints.http.stream_limits import LIMITS_STATE_KEY, StreamLimits
from fusionx.entrypoints.observability_settings import ObservabilitySettings
from fusionx.entrypoints.settings import Settings
from fusionx.entrypoints.web.router import pages_router
from fusionx.entrypoints.web.templating import template_config

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider


def create_app(
    settings: Settings,
    adapters: Adapters,
    observability_settings: ObservabilitySettings | None = None,
    tracer_provider: TracerProvider | None = None,
) -> Litestar:
    """Build the HTTP app around ``adapters``; nothing is opened until the server starts it.

    ``tracer_provider``: tracing is on (``entrypoints.tracing``).
    """
    extras = observability(observability_settings or ObservabilitySettings(), tracer_provider)
    address_of = client_address_provider(settings.trusted_proxy_networks)
    limiters = {PUBLIC: adapters.public_rate_limiter}
    with untraced_app_building(tracer_provider):
        app = Litestar(
            route_handlers=[
                AuthController,
                AccountLinksController,
                MeController,
                StaffInvitationsController,
                TruckDevicesController,
                PairingCodesController,
                DevicesController,
                HealthController,
                TrucksController,
                TruckHoursController,
                LocationHoursController,
                ShiftEventsController,
                ShiftsController,
                ShiftInventoryController,
                ShiftOrdersController,
                OrdersController,
                ShiftCloseOutController,
                TicketsController,
                KitchenFeedController,
                TruckNotificationsController,
                PushTokenController,
                StockThresholdsController,
                SmsStatusController,
                PaymentWebhooksController,
                MenuCategoriesController,
                MenuItemsController,
                ModifierGroupsController,
                TruckMenuController,
                ShiftSpecialsController,
                ShiftCapacityController,
                TruckCapacityController,
                ShiftSummaryController,
                AnalyticsController,
                HeartbeatController,
                MyTrucksController,
                LocationsController,
                StaffController,
                StaffSessionsController,
                MySessionsController,
                AuditController,
                FleetLiveController,
                ExportsController,
                graphql_controller(adapters.translator),
                PublicTrucksController,
                WebhookEndpointsController,
                WebhookDeliveriesController,
                CheckoutController,
                CustomerSignInController,
                CustomerAccountController,
                TrackingController,
                TruckReviewsController,
                ReviewsController,
                *extras.route_handlers,
                pages_router(secure_cookies=settings.served_over_tls),
            ],
            dependencies={
                **use_case_providers(),
                "adapters": adapters_provider(adapters, address_of),
                "principal": Provide(provide_principal, sync_to_thread=False),
                "page": Provide(provide_page, sync_to_thread=False),
                "user_agent": Provide(provide_user_agent, sync_to_thread=False),
                "languages": Provide(provide_languages, sync_to_thread=False),
                "client_address": Provide(address_of, sync_to_thread=False),
            },
            middleware=[
                *extras.middleware,
                # Before idempotency: a refused request's body is never read.
                rate_limit_middleware(limiters, address_of),
                idempotency_middleware(adapters, settings.max_body_bytes),
            ],
            exception_handlers=exception_handlers(adapters.translator),
            before_request=before_handlers(adapters),
            template_config=template_config(adapters.translator),
            openapi_config=openapi_config(docs_page=settings.api_docs_page),
            request_max_body_size=settings.max_body_bytes,
            on_startup=[*adapters.on_startup, adapters.drain.listen],
            on_shutdown=[*adapters.on_shutdown, *extras.on_shutdown],
            # Logging is ours (fusionx.entrypoints.logging); Litestar must not reconfigure it.
            logging_config=None,
        )
    # Litestar's `middleware=` runs only once a route has matched; wrapping the whole
    # handler gives 404 and 405 responses a request id and an access-log line too.
    # Event streams are closed with 1001 when the worker drains (entrypoints/shutdown.py).
    app.asgi_handler = RequestContextMiddleware(
        SecurityHeadersMiddleware(
            StreamDrainMiddleware(app.asgi_handler, adapters.drain), hsts=settings.served_over_tls
        )
    )
    app.state[LIMITS_STATE_KEY] = StreamLimits(
        connections_per_credential=settings.stream_connections_per_credential,
        max_message_bytes=settings.stream_max_message_bytes,
    )
    app.state.update(extras.state)
    document_idempotency(app)
    if unknown := unknown_policies(app.routes, limiters):
        raise ValueError(f"routes name a rate limit that does not exist: {', '.join(unknown)}")
    return app
