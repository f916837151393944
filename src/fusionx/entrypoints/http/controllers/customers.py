from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody

from fusionx.core.use_cases.commands.change_customer_profile import ChangeCustomerProfile
from fusionx.core.use_cases.commands.change_review import ChangeReview
from fusionx.core.use_cases.commands.log_out import LogOut
from fusionx.core.use_cases.commands.request_sign_in_code import RequestSignInCode
from fusionx.core.use_cases.commands.review_order import ReviewOrder
from fusionx.core.use_cases.commands.sign_in_customer import SignInCustomer
from fusionx.core.use_cases.queries.list_customer_orders import ListCustomerOrders
from fusionx.core.use_cases.queries.view_customer_order import ViewCustomerOrder
from fusionx.core.use_cases.queries.view_customer_profile import ViewCustomerProfile
from fusionx.core.use_cases.queries.view_loyalty import ViewLoyalty
from fusionx.entrypoints.http.credential_routes import REPLAY_NOTE, carries_secrets
from fusionx.entrypoints.http.customer_principal import SignedInCustomer, provide_customer
from fusionx.entrypoints.http.dependencies import AppAdapters, ClientAddress, Languages, UseCase
from fusionx.entrypoints.http.openapi import BEARER, problem_responses
from fusionx.entrypoints.http.paging import Paging
from fusionx.entrypoints.http.rate_limits import PUBLIC_RATE_LIMIT
from fusionx.entrypoints.http.schemas.customers import (
    CustomerOrderDetailsView,
    CustomerOrderPage,
    CustomerPatch,
    CustomerSessionView,
    CustomerSignInBody,
    CustomerView,
    LoyaltyView,
    SignInCodeAccepted,
    SignInCodeBody,
)
from fusionx.entrypoints.http.schemas.reviews import ReviewBody, ReviewChangeBody, ReviewView


class CustomerSignInController(Controller):
    """Signing in to a customer account by a one-time code: public, rate-limited."""

    path = "/api/v1/customer"
    tags = ("customer",)
    opt = dict(PUBLIC_RATE_LIMIT)  # noqa: RUF012 - Controller declares it per instance

    @post(
        "/sign-in/code",
        operation_id="requestCustomerSignInCode",
        summary="Send a one-time sign-in code by email or SMS",
        description="Always 202 with the same body, whether an account exists for the "
        "address or not (the first sign-in makes it). The code has six digits, works once "
        "within ten minutes, and dies after five wrong guesses. Requests are throttled per "
        "client address and per destination with 429 and Retry-After.",
        status_code=202,
        responses=problem_responses(400, 413, 422, 429, 503),
    )
    async def request_code(
        self,
        data: JSONBody[SignInCodeBody],
        client_address: ClientAddress,
        languages: Languages,
        adapters: AppAdapters,
        request_sign_in_code: UseCase[RequestSignInCode],
    ) -> SignInCodeAccepted:
        await request_sign_in_code.execute(data.to_request(client_address, languages))
        return SignInCodeAccepted.always(adapters.translator, languages)

    @post(
        "/sign-in",
        operation_id="signInCustomer",
        summary="Sign in with the code sent: a customer bearer token (the account is made "
        "on the first sign-in)",
        description="A wrong, expired, used or dead code is 422 on `code`. " + REPLAY_NOTE,
        status_code=200,
        responses=problem_responses(400, 403, 409, 413, 422, 429, 503),
        opt={**PUBLIC_RATE_LIMIT, **carries_secrets(reissue="Ask for a new code to sign in.")},
    )
    async def sign_in(
        self, data: JSONBody[CustomerSignInBody], sign_in_customer: UseCase[SignInCustomer]
    ) -> CustomerSessionView:
        return CustomerSessionView.of(await sign_in_customer.execute(data.to_request()))


class CustomerAccountController(Controller):
    """The signed-in customer's own account, orders and points: a customer credential
    only (staff and devices 403), and never anyone else's."""

    path = "/api/v1/customer"
    tags = ("customer",)
    security = BEARER
    dependencies = {"customer": Provide(provide_customer, sync_to_thread=False)}  # noqa: RUF012

    @post(
        "/sign-out",
        operation_id="signOutCustomer",
        summary="Revoke the customer credential used for this request",
        status_code=204,
        responses=problem_responses(401, 403),
    )
    async def sign_out(self, customer: SignedInCustomer, log_out: UseCase[LogOut]) -> None:
        await log_out.execute(customer)

    @get(
        "/me",
        operation_id="viewCustomerProfile",
        summary="Your customer account",
        responses=problem_responses(401, 403),
    )
    async def me(
        self, customer: SignedInCustomer, view_customer_profile: UseCase[ViewCustomerProfile]
    ) -> CustomerView:
        return CustomerView.of(await view_customer_profile.execute(customer))

    @patch(
        "/me",
        operation_id="changeCustomerProfile",
        summary="Change your name or language (not your email or phone)",
        responses=problem_responses(400, 401, 403, 413, 422),
    )
    async def change_me(
        self,
        data: JSONBody[CustomerPatch],
        customer: SignedInCustomer,
        change_customer_profile: UseCase[ChangeCustomerProfile],
    ) -> CustomerView:
        return CustomerView.of(await change_customer_profile.execute(customer, data.to_changes()))

    @get(
        "/orders",
        operation_id="listCustomerOrders",
        summary="Your orders, newest first",
        responses=problem_responses(400, 401, 403, 422),
    )
    async def orders(
        self,
        customer: SignedInCustomer,
        page: Paging,
        list_customer_orders: UseCase[ListCustomerOrders],
    ) -> CustomerOrderPage:
        return CustomerOrderPage.of(await list_customer_orders.execute(customer, page))

    @get(
        "/orders/{order_id:uuid}",
        operation_id="viewCustomerOrder",
        summary="One of your orders: its state, payment and points (another's is 404)",
        responses=problem_responses(400, 401, 403, 404),
    )
    async def order(
        self,
        order_id: FromPath[UUID],
        customer: SignedInCustomer,
        view_customer_order: UseCase[ViewCustomerOrder],
    ) -> CustomerOrderDetailsView:
        return CustomerOrderDetailsView.of(await view_customer_order.execute(customer, order_id))

    @post(
        "/orders/{order_id:uuid}/review",
        operation_id="reviewCustomerOrder",
        summary="Review one of your orders once it was picked up: 1 to 5 stars, and a comment",
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def review(
        self,
        order_id: FromPath[UUID],
        customer: SignedInCustomer,
        data: JSONBody[ReviewBody],
        review_order: UseCase[ReviewOrder],
    ) -> ReviewView:
        return ReviewView.of(await review_order.execute(customer, order_id, data.to_request()))

    @patch(
        "/orders/{order_id:uuid}/review",
        operation_id="changeCustomerOrderReview",
        summary="Change your review of an order, within 24 hours of writing it",
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def change_review(
        self,
        order_id: FromPath[UUID],
        customer: SignedInCustomer,
        data: JSONBody[ReviewChangeBody],
        change_review: UseCase[ChangeReview],
    ) -> ReviewView:
        return ReviewView.of(await change_review.execute(customer, order_id, data.to_request()))

    @get(
        "/loyalty",
        operation_id="viewCustomerLoyalty",
        summary="Your loyalty points: the balance and its entries, newest first",
        responses=problem_responses(400, 401, 403, 422),
    )
    async def loyalty(
        self, customer: SignedInCustomer, page: Paging, view_loyalty: UseCase[ViewLoyalty]
    ) -> LoyaltyView:
        return LoyaltyView.of(await view_loyalty.execute(customer, page))
