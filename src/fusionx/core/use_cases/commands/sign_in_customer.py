from __future__ import annotations

from datetime import datetime, timedelta

import msgspec

from fusionx.core.errors import InvalidInput, PermissionDenied
from fusionx.core.messages import Message
from fusionx.core.model.credentials import AccessToken, PrincipalKind, hash_secret, new_secret
from fusionx.core.model.customers import Customer
from fusionx.core.model.sign_in_codes import CODE_DIGITS, hash_code
from fusionx.core.rules.destinations import destination_of
from fusionx.core.use_cases.steps.customer_accounts import customer_at
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork

# Long-lived: a customer signs in on their phone once; each device keeps its own
# credential until it signs out, or until this long has passed.
CUSTOMER_TOKEN_TTL = timedelta(days=90)
_WRONG_CODE = Message("customer.sign_in.code_invalid")


class CustomerSignInRequest(msgspec.Struct, frozen=True, kw_only=True):
    email: str | None = None
    phone: str | None = None
    code: str


class CustomerSession(msgspec.Struct, frozen=True, kw_only=True):
    """The new credential's secret (shown once, kept nowhere) and the account."""

    token: str
    expires_at: datetime
    customer: Customer
    created: bool


class SignInCustomer:
    """A customer signs in with the one-time code sent to their email or phone.

    Rules:
    - the code works once (of any number of racing requests with it, one signs in), for
      the destination it was sent to, within ten minutes, and not after five wrong
      guesses; a wrong, expired, used or dead code is the same 422 on ``code``, and
      counts as a wrong guess against the destination's live code;
    - the first success makes the account (known by that email or phone, in the
      language the code was asked in); a closed account is refused (403);
    - the answer is a customer bearer credential, valid 90 days unless signed out
      (``LogOut``): 256 random bits, only their hash kept.
    """

    def __init__(
        self, uow: UnitOfWork, clock: Clock, ids: IdGenerator, ttl: timedelta = CUSTOMER_TOKEN_TTL
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._ttl = ttl

    async def execute(self, request: CustomerSignInRequest) -> CustomerSession:
        now = self._clock.now()
        destination = destination_of(request.email, request.phone)
        typed = request.code.strip()
        if len(typed) != CODE_DIGITS or not typed.isascii() or not typed.isdigit():
            raise InvalidInput("code", Message("customer.sign_in.code_format"))
        async with self._uow as uow:
            code = await uow.sign_in_codes.consume(
                destination.key, hash_code(destination.key, typed), now
            )
            if code is None:
                await uow.sign_in_codes.count_miss(destination.key, now)
                await uow.commit()
                raise InvalidInput("code", _WRONG_CODE)
            customer = await customer_at(uow, destination)
            created = customer is None
            if customer is None:
                customer = Customer.first_signed_in(
                    self._ids.new_id(), destination, now, code.locale
                )
                await uow.customers.add(customer)
            elif not customer.active:
                raise PermissionDenied(Message("customer.account_closed"))
            secret = new_secret(PrincipalKind.CUSTOMER)
            token = AccessToken(
                id=self._ids.new_id(),
                token_hash=hash_secret(secret),
                kind=PrincipalKind.CUSTOMER,
                subject_id=customer.id,
                created_at=now,
                expires_at=now + self._ttl,
            )
            await uow.tokens.add(token)
            await uow.commit()
        return CustomerSession(
            token=secret, expires_at=token.expires_at or now, customer=customer, created=created
        )
