from __future__ import annotations

from datetime import datetime

import msgspec

from fusionx.core.errors import InvalidInput, TooManyAttempts
from fusionx.core.messages import Message
from fusionx.core.model.customers import Channel, Destination
from fusionx.core.model.sign_in_codes import CODE_VALIDITY, SignInCode, hash_code, new_code
from fusionx.core.rules.destinations import destination_of
from fusionx.core.rules.login_throttle import (
    CODE_ADDRESS_POLICY,
    CODE_DESTINATION_POLICY,
    ThrottlePolicy,
    code_address_key,
    code_destination_key,
    seconds_to_wait,
)
from fusionx.core.use_cases.steps import account_emails
from fusionx.core.use_cases.steps.customer_accounts import customer_at
from fusionx.ports.clock import Clock
from fusionx.ports.email_sender import EmailSender
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.sms_sender import SmsSender
from fusionx.ports.translator import Translator
from fusionx.ports.unit_of_work import UnitOfWork

MINUTES = int(CODE_VALIDITY.total_seconds() // 60)


class SignInCodeRequest(msgspec.Struct, frozen=True, kw_only=True):
    """An email or a phone (one of the two), and the language wanted for the message
    (else the account's, else the request's)."""

    email: str | None = None
    phone: str | None = None
    locale: str | None = None
    client_address: str
    languages: tuple[str, ...] = ()


class RequestSignInCode:
    """Someone asks for a one-time code to sign in to their customer account (or to make
    one: the first successful sign-in does).

    Rules:
    - an email, or a phone number in E.164 (one of the two), else 422 naming the field;
      a ``locale`` is one the translator supports, else 422 on ``locale``;
    - the answer is the same whether an account exists or not: every address may sign
      in, so a code goes to every destination but a closed account's, whose request does
      the same work and sends nothing;
    - requests are counted per client address and per destination, whatever their
      outcome, and refused past either limit with the seconds to wait (429);
    - a code is six random digits, stored hashed, valid ten minutes, dead after five
      wrong guesses; a newer code makes older ones stop working;
    - the message is in the language asked for, else the account's, else the request's
      languages, else English; an email goes out in the background, a text message
      through the SMS provider (which never raises: a refusal is only logged there).
    """

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        clock: Clock,
        ids: IdGenerator,
        email: EmailSender,
        sms: SmsSender,
        translator: Translator,
        address_policy: ThrottlePolicy = CODE_ADDRESS_POLICY,
        destination_policy: ThrottlePolicy = CODE_DESTINATION_POLICY,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._email = email
        self._sms = sms
        self._translator = translator
        self._policies = (address_policy, destination_policy)

    async def execute(self, request: SignInCodeRequest) -> None:
        now = self._clock.now()
        destination = destination_of(request.email, request.phone)
        if request.locale is not None and request.locale not in self._translator.locales:
            choices = ", ".join(self._translator.locales)
            raise InvalidInput("locale", Message("input.one_of", {"choices": choices}))
        keys = (code_address_key(request.client_address), code_destination_key(destination.key))
        code = new_code()
        async with self._uow as uow:
            await uow.login_failures.hold(keys)
            await self._refuse_past_limits(uow, keys, now)
            for key in keys:
                await uow.login_failures.record(key, now)
            customer = await customer_at(uow, destination)
            chosen = request.locale or (customer.locale if customer is not None else None)
            locale = account_emails.recipient_locale(self._translator, chosen, request.languages)
            stored = SignInCode(
                id=self._ids.new_id(),
                destination=destination.key,
                code_hash=hash_code(destination.key, code),
                created_at=now,
                expires_at=now + CODE_VALIDITY,
                locale=request.locale,
            )
            closed = customer is not None and not customer.active
            if not closed:
                await uow.sign_in_codes.add(stored)
            await uow.commit()
        if not closed:
            await self._send(destination, code, locale)

    async def _send(self, destination: Destination, code: str, locale: str) -> None:
        if destination.channel is Channel.EMAIL:
            message = account_emails.sign_in_code(
                self._translator, locale, destination.address, code=code, minutes=MINUTES
            )
            await self._email.send(message)
            return
        said = Message("sms.sign_in_code", {"code": code, "minutes": MINUTES})
        await self._sms.send(destination.address, self._translator.render(said, locale))

    async def _refuse_past_limits(
        self, uow: UnitOfWork, keys: tuple[str, str], now: datetime
    ) -> None:
        for key, policy in zip(keys, self._policies, strict=True):
            attempts = await uow.login_failures.since(key, now - policy.window)
            wait = seconds_to_wait(attempts, now, policy)
            if wait:
                raise TooManyAttempts(Message("customer.sign_in.too_many"), wait)
