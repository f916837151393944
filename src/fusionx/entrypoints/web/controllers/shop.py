"""The customer's pages: a truck's menu, the cart and checkout, the order's tracking page.

Public (no sign-in), phone first, under ``/app/shop``. They read through the public use
cases the JSON API's public routes call; what a customer writes goes through the JSON API
itself from ``shop.js``: checkout (``POST /api/v1/public/trucks/{id}/checkout``, with an
``Idempotency-Key`` made per attempt, so a double click is one order) and the live
updates (``GET /api/v1/track/{token}/events``). The cart lives in the browser until the
server prices it: ``quote`` is a form of this page (CSRF-checked like every page form)
that answers the priced cart as a fragment.

The tracking token is in the tracking page's path (the link a customer keeps); the logs
redact it (``entrypoints/logging.py``). Anyone may open these pages, which read the
database: they count against the per-address public rate limit as the public API's
routes do (a tracking link guessed here is as slow to find as over the API).
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Template

from fusionx.core.errors import DomainError, InvalidInputs, NotFound
from fusionx.core.messages import Message, Money
from fusionx.core.use_cases.queries.quote_cart import QuoteCart
from fusionx.core.use_cases.queries.resolve_tracking import ResolveTracking
from fusionx.core.use_cases.queries.view_public_menu import ViewPublicMenu
from fusionx.core.use_cases.queries.view_tracked_order import ViewTrackedOrder
from fusionx.core.use_cases.queries.view_truck_front import ViewTruckFront
from fusionx.entrypoints.http.dependencies import AppAdapters, UseCase
from fusionx.entrypoints.http.rate_limits import PUBLIC_RATE_LIMIT
from fusionx.entrypoints.http.schemas.checkout import CartBody
from fusionx.entrypoints.public_paths import SHOP_PATH, TRACKING_PAGE
from fusionx.entrypoints.web.access import PageAccess, page

# A cart of MAX_LINES lines with notes and options fits well within this.
MAX_CART_CHARS = 64_000


class QuoteForm(msgspec.Struct, frozen=True, kw_only=True):
    # The cart as shop.js keeps it: {"lines": [...]}, the quote API's body.
    cart: Annotated[str, msgspec.Meta(max_length=MAX_CART_CHARS)] = ""


Form = Annotated[QuoteForm, Body(media_type=RequestEncodingType.URL_ENCODED)]


class ShopTruckController(Controller):
    path = f"{SHOP_PATH}/trucks/{{truck_id:uuid}}"
    opt = dict(PUBLIC_RATE_LIMIT)  # noqa: RUF012 - Controller declares it per instance

    @get(operation_id="showTruckMenuPage", opt=page(PageAccess.PUBLIC))
    async def menu(
        self,
        truck_id: FromPath[UUID],
        view_truck_front: UseCase[ViewTruckFront],
        view_public_menu: UseCase[ViewPublicMenu],
        adapters: AppAdapters,
    ) -> Template:
        front = await view_truck_front.execute(truck_id)
        try:
            public = await view_public_menu.execute(truck_id)
        except NotFound:  # not checked in anywhere: its page says it takes no orders
            public = None
        context = {"front": front, "public": public, "money": _money(adapters.currency)}
        return Template("shop/menu.html", context=context)

    @get("/checkout", operation_id="showCheckoutPage", opt=page(PageAccess.PUBLIC))
    async def checkout(
        self, truck_id: FromPath[UUID], view_truck_front: UseCase[ViewTruckFront]
    ) -> Template:
        front = await view_truck_front.execute(truck_id)
        return Template("shop/checkout.html", context={"front": front})

    @post("/quote", status_code=200, operation_id="quoteCartPage", opt=page(PageAccess.PUBLIC))
    async def quote(
        self, truck_id: FromPath[UUID], data: Form, quote_cart: UseCase[QuoteCart]
    ) -> Template:
        if not data.cart:  # nothing in the cart yet: nothing to price
            return Template("shop/_quote.html", context={"quote": None, "problems": []})
        try:
            cart = msgspec.json.decode(data.cart, type=CartBody)
            quoted = await quote_cart.execute(cart.to_request(truck_id))
        except msgspec.DecodeError:  # not JSON, or not a cart (ValidationError is one)
            return _quote_problem([Message("page.shop.cart_unreadable")])
        except InvalidInputs as error:
            return _quote_problem([problem.message for problem in error.errors])
        except DomainError as error:  # an item gone or sold out, the shift paused or over
            return _quote_problem([error.detail])
        context = {"quote": quoted, "money": _money(quoted.currency), "problems": []}
        return Template("shop/_quote.html", context=context)


class ShopTrackingController(Controller):
    path = f"{TRACKING_PAGE}/{{token:str}}"
    opt = dict(PUBLIC_RATE_LIMIT)  # noqa: RUF012 - as above

    @get(operation_id="showTrackingPage", opt=page(PageAccess.PUBLIC))
    async def show(
        self,
        token: FromPath[str],
        resolve_tracking: UseCase[ResolveTracking],
        view_tracked_order: UseCase[ViewTrackedOrder],
        adapters: AppAdapters,
    ) -> Template:
        guest = await resolve_tracking.execute(token)
        tracked = await view_tracked_order.execute(guest, guest.order_id)
        context = {"order": tracked, "token": token, "money": _money(adapters.currency)}
        return Template("shop/track.html", context=context)

    @get("/status", operation_id="showTrackedStatusPage", opt=page(PageAccess.PUBLIC))
    async def status(
        self,
        token: FromPath[str],
        resolve_tracking: UseCase[ResolveTracking],
        view_tracked_order: UseCase[ViewTrackedOrder],
        adapters: AppAdapters,
    ) -> Template:
        """The order's state alone: what the page swaps in after each live update."""
        guest = await resolve_tracking.execute(token)
        tracked = await view_tracked_order.execute(guest, guest.order_id)
        context = {"order": tracked, "money": _money(adapters.currency)}
        return Template("shop/_status.html", context=context)


def _money(currency: str) -> Any:
    """``money(cents)`` in a template: the amount, formatted in the reader's locale."""
    return partial(Money, currency=currency)


def _quote_problem(problems: list[Message]) -> Template:
    # 200: htmx swaps in the problems where the priced cart would be.
    context: dict[str, Any] = {"quote": None, "problems": problems}
    return Template("shop/_quote.html", context=context)
