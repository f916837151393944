"""The customer side's bodies and views: signing in by a one-time code, the account,
its orders and its loyalty points."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

import msgspec

from fusionx.core.messages import Message
from fusionx.core.model.customers import MAX_NAME_LENGTH, Customer
from fusionx.core.model.loyalty import EntryKind, LoyaltyEntry
from fusionx.core.model.orders import Order, OrderChannel, OrderState
from fusionx.core.model.refunds import PaymentState
from fusionx.core.model.tickets import TicketState
from fusionx.core.rules.phone_numbers import E164_INPUT_PATTERN
from fusionx.core.rules.validation import EMAIL_INPUT_PATTERN
from fusionx.core.use_cases.commands.change_customer_profile import CustomerProfileChanges
from fusionx.core.use_cases.commands.request_sign_in_code import MINUTES, SignInCodeRequest
from fusionx.core.use_cases.commands.sign_in_customer import (
    CustomerSession,
    CustomerSignInRequest,
)
from fusionx.core.use_cases.queries.view_customer_order import CustomerOrderDetails
from fusionx.core.use_cases.queries.view_loyalty import LoyaltyAccount
from fusionx.entrypoints.http.paging import PageView
from fusionx.entrypoints.http.schemas.orders import OrderLineView
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime, text
from fusionx.ports.translator import Translator

UNSET = msgspec.UNSET
Email = Annotated[str, text(254, pattern=EMAIL_INPUT_PATTERN, examples=["ana@example.com"])]
Phone = Annotated[
    str,
    text(
        32,
        pattern=E164_INPUT_PATTERN,
        description="E.164: + then 7 to 15 digits; spaces, dots, dashes and brackets are dropped",
        examples=["+447700900123"],
    ),
]
Locale = Annotated[str, text(16, description="A supported locale: en, es or fr", examples=["es"])]
Code = Annotated[
    str,
    text(16, description="The six digits sent by email or SMS", examples=["042137"]),
]


class SignInCodeBody(RequestBody, frozen=True, kw_only=True):
    """An email or a phone number, one of the two; ``locale``: the message's language."""

    email: Email | None = None
    phone: Phone | None = None
    locale: Locale | None = None

    def to_request(self, client_address: str, languages: tuple[str, ...]) -> SignInCodeRequest:
        return SignInCodeRequest(
            email=self.email,
            phone=self.phone,
            locale=self.locale,
            client_address=client_address,
            languages=languages,
        )


class SignInCodeAccepted(msgspec.Struct, frozen=True, kw_only=True):
    """The same answer whether an account exists for the address or not."""

    status: Literal["accepted"]
    detail: str
    expires_in_minutes: int

    @classmethod
    def always(cls, translator: Translator, languages: tuple[str, ...]) -> SignInCodeAccepted:
        said = Message("customer.sign_in.code_sent", {"minutes": MINUTES})
        detail = translator.render(said, translator.choose(languages))
        return cls(status="accepted", detail=detail, expires_in_minutes=MINUTES)


class CustomerSignInBody(RequestBody, frozen=True, kw_only=True):
    """The destination the code was sent to (an email or a phone), and the code."""

    code: Code
    email: Email | None = None
    phone: Phone | None = None

    def to_request(self) -> CustomerSignInRequest:
        return CustomerSignInRequest(email=self.email, phone=self.phone, code=self.code)


class CustomerView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str | None
    email: str | None
    phone: str | None
    locale: str | None
    created_at: UtcDateTime

    @classmethod
    def of(cls, customer: Customer) -> CustomerView:
        return cls(
            id=customer.id,
            name=customer.name,
            email=customer.email,
            phone=customer.phone,
            locale=customer.locale,
            created_at=customer.created_at,
        )


class CustomerSessionView(msgspec.Struct, frozen=True, kw_only=True):
    """A customer credential: send it as ``Authorization: Bearer <token>`` until
    ``expires_at``, or until signing out. ``created``: this sign-in made the account."""

    token: str
    token_type: Literal["bearer"]
    expires_at: UtcDateTime
    created: bool
    customer: CustomerView

    @classmethod
    def of(cls, session: CustomerSession) -> CustomerSessionView:
        return cls(
            token=session.token,
            token_type="bearer",  # noqa: S106 - the scheme's name, not a secret
            expires_at=session.expires_at,
            created=session.created,
            customer=CustomerView.of(session.customer),
        )


class CustomerPatch(RequestBody, frozen=True, kw_only=True):
    """Only the fields sent change; ``null`` clears one. The email and phone are where
    sign-in codes go: they are not changed here."""

    name: Annotated[str, text(MAX_NAME_LENGTH)] | msgspec.UnsetType | None = UNSET
    locale: Locale | msgspec.UnsetType | None = UNSET

    def to_changes(self) -> CustomerProfileChanges:
        return CustomerProfileChanges(name=self.name, locale=self.locale)


class CustomerOrderView(msgspec.Struct, frozen=True, kw_only=True):
    """One of the customer's own orders, as they see it."""

    id: UUID
    number: int
    shift_id: UUID
    channel: OrderChannel
    state: OrderState
    lines: list[OrderLineView]
    total_cents: int
    customer_name: str | None
    created_at: UtcDateTime
    pickup_at: UtcDateTime | None
    promised_ready_at: UtcDateTime | None

    @classmethod
    def of(cls, order: Order) -> CustomerOrderView:
        return cls(
            id=order.id,
            number=order.number,
            shift_id=order.shift_id,
            channel=order.channel,
            state=order.state,
            lines=[OrderLineView.of(line) for line in order.lines],
            total_cents=order.total_cents,
            customer_name=order.customer_name,
            created_at=order.created_at,
            pickup_at=order.pickup_at,
            promised_ready_at=order.promised_ready_at,
        )


class CustomerOrderPage(PageView, frozen=True, kw_only=True):
    items: list[CustomerOrderView]
    view = CustomerOrderView.of


class LoyaltyEntryView(msgspec.Struct, frozen=True, kw_only=True):
    """``points`` is signed: earned and returned ones in, spent and reversed ones out."""

    id: UUID
    kind: EntryKind
    points: int
    order_id: UUID
    at: UtcDateTime
    refund_id: UUID | None

    @classmethod
    def of(cls, entry: LoyaltyEntry) -> LoyaltyEntryView:
        return cls(
            id=entry.id,
            kind=entry.kind,
            points=entry.points,
            order_id=entry.order_id,
            at=entry.at,
            refund_id=entry.refund_id,
        )


class CustomerOrderDetailsView(msgspec.Struct, frozen=True, kw_only=True):
    """The order, its kitchen state (null until the kitchen has it), its payment, and
    the points it earned, spent or gave back."""

    order: CustomerOrderView
    ticket_state: TicketState | None
    payment_state: PaymentState
    paid_cents: int
    refunded_cents: int
    points: list[LoyaltyEntryView]

    @classmethod
    def of(cls, details: CustomerOrderDetails) -> CustomerOrderDetailsView:
        return cls(
            order=CustomerOrderView.of(details.order),
            ticket_state=details.ticket_state,
            payment_state=details.payment_state,
            paid_cents=details.paid_cents,
            refunded_cents=details.refunded_cents,
            points=[LoyaltyEntryView.of(entry) for entry in details.points],
        )


class LoyaltyEntryPage(PageView, frozen=True, kw_only=True):
    items: list[LoyaltyEntryView]
    view = LoyaltyEntryView.of


class LoyaltyView(msgspec.Struct, frozen=True, kw_only=True):
    """The balance (the sum of every entry; below zero when refunds took back points
    already spent), what it is worth off an order, and a page of entries, newest first."""

    balance: int
    worth_cents: int
    entries: LoyaltyEntryPage

    @classmethod
    def of(cls, account: LoyaltyAccount) -> LoyaltyView:
        return cls(
            balance=account.balance,
            worth_cents=account.worth_cents,
            entries=LoyaltyEntryPage.of(account.entries),
        )
