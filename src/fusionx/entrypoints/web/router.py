"""Every page route, in one router the app mounts beside the JSON API.

The router adds what every page has: the Content-Security-Policy, ``no-store``, the CSRF
cookie and the guard that checks its token on a state-changing request, the ``staff`` and
``cookie_policy`` dependencies, the redirect to sign-in, and no place in the OpenAPI
document.
A new page is a controller listed in ``PAGE_CONTROLLERS`` (docs/pages.md).
"""

from __future__ import annotations

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.types import ControllerRouterHandler

from fusionx.entrypoints.http.content_security import ContentSecurityPolicyMiddleware
from fusionx.entrypoints.web.assets import static_router
from fusionx.entrypoints.web.controllers.dashboard import (
    FleetDashboardController,
    TruckDashboardController,
)
from fusionx.entrypoints.web.controllers.dashboard_actions import (
    CapacityController,
    StockController,
)
from fusionx.entrypoints.web.controllers.home import HomeController
from fusionx.entrypoints.web.controllers.kitchen_board import (
    BoardPairingController,
    KitchenBoardController,
)
from fusionx.entrypoints.web.controllers.shop import ShopTrackingController, ShopTruckController
from fusionx.entrypoints.web.controllers.sign_in import SignInController, SignOutController
from fusionx.entrypoints.web.csrf import CsrfCookieMiddleware, require_csrf_token
from fusionx.entrypoints.web.session import SignInRequired, provide_signed_in, redirect_to_sign_in
from fusionx.entrypoints.web.settings import cookies_provider

PAGE_CONTROLLERS: tuple[ControllerRouterHandler, ...] = (
    HomeController,
    SignInController,
    SignOutController,
    FleetDashboardController,
    TruckDashboardController,
    StockController,
    CapacityController,
    ShopTruckController,
    ShopTrackingController,
    BoardPairingController,
    KitchenBoardController,
)


def pages_router(*, secure_cookies: bool) -> Router:
    """``secure_cookies``: the service is served over TLS."""
    return Router(
        path="/",
        route_handlers=[*PAGE_CONTROLLERS, static_router()],
        middleware=[
            ContentSecurityPolicyMiddleware,
            DefineMiddleware(CsrfCookieMiddleware, secure=secure_cookies),
        ],
        guards=[require_csrf_token],
        dependencies={
            "staff": Provide(provide_signed_in),
            "cookie_policy": cookies_provider(secure=secure_cookies),
        },
        exception_handlers={SignInRequired: redirect_to_sign_in},
        # A page shows a staff member's data, and signing in sets a credential: no cache
        # keeps either (the static files say otherwise for themselves).
        cache_control=CacheControlHeader(no_store=True),
        include_in_schema=False,
    )
