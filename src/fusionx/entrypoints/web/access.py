"""Who may open a page: every page route declares it with ``opt=page(...)``.

Pages are not API routes: they are left out of the OpenAPI document and of the API's
access table (``http/access_table.py``). Their access is this one word each, and
``tests/web/test_page_routes.py`` sends every page route a request without a session and
checks the answer against it: a ``STAFF`` page redirects to sign-in, a ``PUBLIC`` one
answers.

Prefixes: staff pages under ``/app``; the customer's pages (a truck's menu, checkout,
the tracking page: all ``PUBLIC``) under ``/app/shop`` (``controllers/shop.py``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

OPT_KEY = "fusionx.page"


class PageAccess(enum.StrEnum):
    PUBLIC = "public"  # anyone: the sign-in form, the static assets
    STAFF = "staff"  # a signed-in staff member (session cookie); else a redirect to sign-in
    # A paired kitchen device (device cookie) or a signed-in staff member; else a redirect
    # to the board's pairing form (web/kitchen.py).
    KITCHEN = "kitchen"


def page(access: PageAccess, **more: Any) -> dict[str, Any]:
    """A page handler's ``opt``: its access, with any other ``opt`` entries."""
    return {OPT_KEY: access, **more}


def page_access(opt: Mapping[str, Any]) -> PageAccess | None:
    """The access a handler's ``opt`` declares; None for an API route."""
    access = opt.get(OPT_KEY)
    return access if isinstance(access, PageAccess) else None


def is_page(route: Any) -> bool:
    """Whether a route of the app is a page route (its handlers declare an access; the
    OPTIONS handler Litestar adds to every route declares nothing)."""
    handlers: Iterable[Any] = getattr(route, "route_handlers", ())
    if hasattr(route, "route_handler"):  # a WebSocket route has one handler
        handlers = [route.route_handler]
    return any(page_access(handler.opt) is not None for handler in handlers)
