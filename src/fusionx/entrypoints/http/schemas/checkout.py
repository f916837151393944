"""A customer's cart, its quote, and their checkout (public routes)."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

import msgspec

from fusionx.core.rules.order_prices import OrderMoney
from fusionx.core.rules.validation import EMAIL_INPUT_PATTERN, PHONE_INPUT_PATTERN
from fusionx.core.use_cases.commands.check_out import CheckedOut, CheckoutRequest
from fusionx.core.use_cases.queries.quote_cart import CartQuote, QuoteRequest
from fusionx.core.use_cases.steps.cart_pricing import MAX_LINES
from fusionx.core.use_cases.steps.loyalty import MAX_POINTS
from fusionx.entrypoints.http.schemas.orders import OrderLineBody, OrderLineView
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime, text

Lines = Annotated[list[OrderLineBody], msgspec.Meta(min_length=1, max_length=MAX_LINES)]
# The BCP 47 tag of a language FusionX speaks (the packaged catalogues').
Locale = Literal["en", "es", "fr"]


class CartBody(RequestBody, frozen=True, kw_only=True):
    """What the customer wants; the server prices it (no price is taken from the client)."""

    lines: Lines

    def to_request(self, truck_id: UUID) -> QuoteRequest:
        return QuoteRequest(
            truck_id=truck_id, lines=tuple(line.to_request() for line in self.lines)
        )


class GuestCheckoutBody(RequestBody, frozen=True, kw_only=True):
    """A guest's order ahead: their name, a phone number or an email (or both), and a
    pickup time from the quote's free slots (as soon as possible when left out).
    ``locale`` is the language of the messages about the order; ``notify``: tell the
    customer when it is ready (or late)."""

    lines: Lines
    customer_name: Annotated[str, text(100)]
    customer_phone: Annotated[str, text(40, pattern=PHONE_INPUT_PATTERN)] | None = None
    customer_email: Annotated[str, text(254, pattern=EMAIL_INPUT_PATTERN)] | None = None
    locale: Locale | None = None
    notify: bool = False
    pickup_at: UtcDateTime | None = None
    # Loyalty points to spend on it: a signed-in customer's only.
    points: Annotated[int, msgspec.Meta(ge=0, le=MAX_POINTS)] = 0

    def to_request(self, truck_id: UUID) -> CheckoutRequest:
        return CheckoutRequest(
            truck_id=truck_id,
            lines=tuple(line.to_request() for line in self.lines),
            customer_name=self.customer_name,
            customer_phone=self.customer_phone,
            customer_email=self.customer_email,
            locale=self.locale,
            notify=self.notify,
            pickup_at=self.pickup_at,
            points=self.points,
        )


class MoneyView(msgspec.Struct, frozen=True, kw_only=True):
    """Integer cents of ``currency``. ``total_cents`` is what the customer is charged:
    ``subtotal_cents - discount_cents``, plus ``tax_cents`` unless ``tax_inclusive``
    (the prices hold the tax). The tax is rounded once per order, half up."""

    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    total_cents: int
    tax_rate_bp: int
    tax_inclusive: bool
    currency: str

    @classmethod
    def of(cls, money: OrderMoney, currency: str) -> MoneyView:
        return cls(
            subtotal_cents=money.subtotal_cents,
            discount_cents=money.discount_cents,
            tax_cents=money.tax_cents,
            total_cents=money.total_cents,
            tax_rate_bp=money.tax_rate_bp,
            tax_inclusive=money.tax_inclusive,
            currency=currency,
        )


class PickupSlotView(msgspec.Struct, frozen=True, kw_only=True):
    start: UtcDateTime
    end: UtcDateTime


class CartQuoteView(msgspec.Struct, frozen=True, kw_only=True):
    """The cart priced now, and the next pickup slots with room (empty: the truck takes
    orders as soon as possible only). A quote holds nothing: checkout prices again."""

    truck_id: UUID
    shift_id: UUID
    lines: list[OrderLineView]
    money: MoneyView
    pickup_slots: list[PickupSlotView]
    quoted_at: UtcDateTime

    @classmethod
    def of(cls, quote: CartQuote) -> CartQuoteView:
        return cls(
            truck_id=quote.truck_id,
            shift_id=quote.shift_id,
            lines=[OrderLineView.of(line) for line in quote.lines],
            money=MoneyView.of(quote.money, quote.currency),
            pickup_slots=[PickupSlotView(start=s, end=e) for s, e in quote.pickup_slots],
            quoted_at=quote.quoted_at,
        )


class PaymentIntentView(msgspec.Struct, frozen=True, kw_only=True):
    """What the customer's browser pays with (e.g. Stripe.js ``confirmPayment``).
    ``client_secret`` is for this customer alone: never share or log it."""

    id: str
    client_secret: str | None
    amount_cents: int
    currency: str


class GuestCheckoutView(msgspec.Struct, frozen=True, kw_only=True):
    """The order awaiting payment (its stock held for it) and the intent to pay it."""

    order_id: UUID
    number: int
    state: str
    lines: list[OrderLineView]
    money: MoneyView
    pickup_at: UtcDateTime | None
    payment: PaymentIntentView
    # The order's tracking link (the tracking page a person opens; the JSON is at
    # /api/v1/track/{token}): the token is its only credential, shown this once.
    tracking_url: str
    tracking_token: str

    @classmethod
    def of(cls, checked_out: CheckedOut) -> GuestCheckoutView:
        order, intent = checked_out.order, checked_out.intent
        money = OrderMoney(
            subtotal_cents=order.subtotal_cents,
            discount_cents=order.discount_cents,
            tax_cents=order.tax_cents,
            total_cents=order.total_cents,
            tax_rate_bp=order.tax_rate_bp,
            tax_inclusive=order.tax_inclusive,
        )
        return cls(
            order_id=order.id,
            number=order.number,
            state=order.state.value,
            lines=[OrderLineView.of(line) for line in order.lines],
            money=MoneyView.of(money, intent.currency),
            pickup_at=order.pickup_at,
            payment=PaymentIntentView(
                id=intent.id,
                client_secret=intent.client_secret,
                amount_cents=intent.amount_cents,
                currency=intent.currency,
            ),
            tracking_url=checked_out.tracking_url,
            tracking_token=checked_out.tracking_token,
        )
