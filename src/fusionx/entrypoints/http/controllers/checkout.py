"""A customer's cart and checkout: public, rate-limited per client address like the
other public routes, and callable by a signed-in customer too (``customer``)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, HeaderParameter, JSONBody

from fusionx.core.model.principals import CustomerPrincipal
from fusionx.core.use_cases.commands.check_out import CheckOut
from fusionx.core.use_cases.queries.quote_cart import QuoteCart
from fusionx.entrypoints.http.customer_principal import provide_optional_customer
from fusionx.entrypoints.http.dependencies import UseCase
from fusionx.entrypoints.http.idempotency import ANONYMOUS_KEYS, PUBLIC_KEY_PATTERN
from fusionx.entrypoints.http.openapi import problem_responses
from fusionx.entrypoints.http.rate_limits import PUBLIC_RATE_LIMIT
from fusionx.entrypoints.http.schemas.checkout import (
    CartBody,
    CartQuoteView,
    GuestCheckoutBody,
    GuestCheckoutView,
)

# Required on checkout: a double click or a retry must never make two orders.
IdempotencyKey = Annotated[
    str,
    HeaderParameter(
        name="Idempotency-Key",
        min_length=16,
        max_length=255,
        pattern=PUBLIC_KEY_PATTERN,
        description=(
            "Required: a fresh UUID per checkout, sent again on every retry of it. The "
            "first answer is replayed for 24 hours (`Idempotent-Replayed: true`): one "
            "order, one payment intent, however often it is sent. The key with another "
            "body is 422; a retry while the first still runs is 409."
        ),
    ),
]


class CheckoutController(Controller):
    path = "/api/v1/public/trucks/{truck_id:uuid}"
    tags = ("public",)
    opt = dict(PUBLIC_RATE_LIMIT)  # noqa: RUF012 - Controller declares it per instance
    # None for a guest; the customer when a signed-in customer checks out (their order).
    dependencies = {"signed_in": Provide(provide_optional_customer)}  # noqa: RUF012
    # Prices, stock and slots change by the minute; a client secret is never cached.
    cache_control = CacheControlHeader(no_store=True)

    @post(
        "/cart/quote",
        status_code=200,
        operation_id="quoteCart",
        summary="Price a cart at the truck's open shift, with its tax and free pickup slots "
        "(no sign-in; nothing is reserved)",
        responses=problem_responses(400, 404, 409, 422, 429, 503),
    )
    async def quote(
        self, truck_id: FromPath[UUID], data: JSONBody[CartBody], quote_cart: UseCase[QuoteCart]
    ) -> CartQuoteView:
        return CartQuoteView.of(await quote_cart.execute(data.to_request(truck_id)))

    @post(
        "/checkout",
        status_code=201,
        operation_id="checkOut",
        summary="Order ahead, as a guest or signed in (who may spend points): the order "
        "awaits payment, its stock held; the answer carries the payment intent's client "
        "secret and the order's tracking link",
        description="`tracking_url` is the tracking page a person opens "
        "(`/app/shop/track/{token}`), the link the customer's messages carry too; "
        "`tracking_token` also opens the order as JSON at `/api/v1/track/{token}`.",
        opt=ANONYMOUS_KEYS,
        responses=problem_responses(400, 401, 402, 404, 409, 413, 422, 429, 502, 503),
    )
    async def check_out(
        self,
        truck_id: FromPath[UUID],
        data: JSONBody[GuestCheckoutBody],
        signed_in: NamedDependency[CustomerPrincipal | None],
        check_out: UseCase[CheckOut],
        idempotency_key: IdempotencyKey,
    ) -> GuestCheckoutView:
        del idempotency_key  # the idempotency middleware acts on it
        return GuestCheckoutView.of(await check_out.execute(signed_in, data.to_request(truck_id)))
