from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.loyalty import discount_cents
from fusionx.core.model.orders import Order, OrderChannel
from fusionx.core.model.principals import CustomerPrincipal
from fusionx.core.rules.order_prices import OrderMoney, money_fields, order_money
from fusionx.core.rules.validation import require_email, require_phone, require_text
from fusionx.core.use_cases.steps.cart_pricing import (
    OrderLineRequest,
    PricedCart,
    check_lines,
    price_cart,
)
from fusionx.core.use_cases.steps.loyalty import spend_points
from fusionx.core.use_cases.steps.payment_holds import hold_for_payment
from fusionx.core.use_cases.steps.public_shift import ordering_shift
from fusionx.core.use_cases.steps.tracking import issue_tracking
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.payment_gateway import PaymentGateway, PaymentIntent, PaymentIntentRequest
from fusionx.ports.tracking_links import TrackingLinks
from fusionx.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


class CheckoutRequest(msgspec.Struct, frozen=True, kw_only=True):
    """A customer's order ahead. ``locale`` and ``notify`` are for the messages about
    the order (its tracking); ``pickup_at`` None: as soon as possible. ``points``: loyalty
    points a signed-in customer spends on it (0: none)."""

    truck_id: UUID
    lines: tuple[OrderLineRequest, ...]
    customer_name: str
    customer_phone: str | None = None
    customer_email: str | None = None
    locale: str | None = None
    notify: bool = False
    pickup_at: datetime | None = None
    points: int = 0


class CheckedOut(msgspec.Struct, frozen=True, kw_only=True):
    """The order awaiting payment and the gateway's intent to pay it. The intent's
    client secret is for the customer's browser alone: never logged, never an event.
    ``tracking_token`` opens the order's tracking link (``tracking_url``), handed out
    this once."""

    order: Order
    intent: PaymentIntent
    tracking_token: str
    tracking_url: str


class CheckOut:
    """A customer orders ahead from a truck's open shift and is asked to pay for it.

    Rules:
    - anyone may check out: a guest, or a signed-in customer, whose account the order
      then belongs to (``customer_id``); the order is in the customer's name (1 to 100
      characters) with a phone number or an email (or both), checked as at the window;
      ``locale``, when given, is a language the translator has;
    - the truck's shift must take orders (404 without one under way, 409 paused);
    - the cart is priced by the server as every order is (``price_cart``), with the
      location's tax; what the client may think it costs is not asked;
    - the order is an online one awaiting payment, its stock taken and held for it
      (``hold_for_payment``, all or nothing: 409 naming each short item, before any
      payment is asked for), in a pickup slot with room (``admit``: 409 with the next
      one otherwise);
    - then the gateway is asked for one payment intent for the order's total (its
      idempotency key derives from the order: asked twice, it answers the same one).
      The order, its hold and its events commit only once the intent exists: if the
      gateway refuses or cannot be reached, nothing is kept (no order, no units held)
      and the gateway's error is raised (402, or 503 to retry later);
    - a signed-in customer may spend loyalty ``points`` on it (``spend_points``: no more
      than their balance, nor than the subtotal; 422 on ``points`` otherwise, and for a
      guest): the discount comes off before the tax, in the same transaction;
    - the order gets its tracking link (``issue_tracking``), with the customer's
      ``locale`` and ``notify`` opt-in for the messages about it;
    - the stream shows the order awaiting payment, without the contact; a payment
      that never comes lapses (``ReleaseLapsedHolds``).
    """

    def __init__(
        self,
        units: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        gateway: PaymentGateway,
        links: TrackingLinks,
        *,
        currency: str,
        locales: Sequence[str],
    ) -> None:
        self._units = units
        self._clock = clock
        self._ids = ids
        self._gateway = gateway
        self._links = links
        self._currency = currency
        self._locales = tuple(locales)

    async def execute(
        self, customer: CustomerPrincipal | None, request: CheckoutRequest
    ) -> CheckedOut:
        name, phone, email = self._contact(request)
        if request.locale is not None and request.locale not in self._locales:
            choices = ", ".join(self._locales)
            raise InvalidInput("locale", Message("input.one_of", {"choices": choices}))
        check_lines(request.lines)
        now, order_id = self._clock.now(), self._ids.new_id()
        customer_id = customer.customer_id if customer is not None else None
        async with self._units() as uow:
            shift = await ordering_shift(uow, request.truck_id)
            cart = await price_cart(uow, shift, request.lines, now)
            money = await self._spend(uow, customer, order_id, cart, points=request.points, now=now)
            draft = Order(
                id=order_id,
                shift_id=shift.id,
                number=0,
                channel=OrderChannel.ONLINE,
                lines=cart.lines,
                created_at=now,
                created_by=Actor(kind=PrincipalKind.CUSTOMER, id=customer_id or order_id),
                customer_name=name,
                customer_phone=phone,
                customer_email=email,
                customer_id=customer_id,
                **money_fields(money),
            )
            order = await hold_for_payment(
                uow, shift, draft, cart.items, self._ids, pickup_at=request.pickup_at
            )
            # Asked before the commit: a refusal raises, and the order and its hold are
            # never kept. The stock rows stay locked for the call, as they would be
            # anyway under the request's Idempotency-Key (its answer commits with them).
            intent = await self._gateway.create_intent(
                PaymentIntentRequest(
                    order_id=order.id, amount_cents=order.total_cents, currency=self._currency
                )
            )
            token = await issue_tracking(
                uow, self._ids, self._links, order, locale=request.locale, notify=request.notify
            )
            await uow.commit()
        return CheckedOut(
            order=order, intent=intent, tracking_token=token, tracking_url=self._links.link(token)
        )

    @staticmethod
    async def _spend(
        uow: UnitOfWork,
        customer: CustomerPrincipal | None,
        order_id: UUID,
        cart: PricedCart,
        *,
        points: int,
        now: datetime,
    ) -> OrderMoney:
        """The cart's money, less what the customer's ``points`` buy."""
        if points == 0:
            return cart.money
        if customer is None:
            raise InvalidInput("points", Message("loyalty.sign_in_to_spend"))
        subtotal = cart.money.subtotal_cents
        if discount_cents(points) > subtotal:
            raise InvalidInput("points", Message("input.between", {"low": 0, "high": subtotal}))
        discount = await spend_points(uow, customer.customer_id, order_id, points, now)
        return order_money(
            cart.lines,
            rate_bp=cart.money.tax_rate_bp,
            inclusive=cart.money.tax_inclusive,
            discount_cents=discount,
        )

    @staticmethod
    def _contact(request: CheckoutRequest) -> tuple[str, str | None, str | None]:
        name = require_text("customer_name", request.customer_name, max_length=100)
        phone = request.customer_phone
        email = request.customer_email
        if not phone and not email:
            raise InvalidInput("customer_phone", Message("checkout.contact_needed"))
        phone = require_phone(phone, "customer_phone") if phone else None
        email = require_email(email, "customer_email") if email else None
        return name, phone, email
