from __future__ import annotations

from datetime import datetime

import msgspec

from fusionx.core.errors import TooManyAttempts
from fusionx.core.messages import Message
from fusionx.core.model.email_tokens import TokenPurpose
from fusionx.core.model.staff import normalize_email
from fusionx.core.rules.login_throttle import (
    RESET_ADDRESS_POLICY,
    RESET_EMAIL_POLICY,
    ThrottlePolicy,
    reset_address_key,
    reset_email_key,
    seconds_to_wait,
)
from fusionx.core.rules.validation import require_email
from fusionx.core.use_cases.steps import account_emails
from fusionx.core.use_cases.steps.email_tokens import new_email_token, store_email_token
from fusionx.ports.clock import Clock
from fusionx.ports.email_sender import EmailSender
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.translator import Translator
from fusionx.ports.unit_of_work import UnitOfWork

_MINUTES = int(TokenPurpose.PASSWORD_RESET.validity.total_seconds() // 60)


class PasswordResetRequest(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    client_address: str
    # The languages the request came in, best first: for an account without a locale.
    languages: tuple[str, ...] = ()


class RequestPasswordReset:
    """Someone who forgot their password asks for a reset link by email.

    Rules:
    - an email that is not an address at all is 422 on ``email`` (that tells nothing);
    - the answer is the same whether the email names an active account or not (no
      account enumeration): nothing is returned, nothing is raised but the throttle;
    - both cases do the same work in the request: one unit of work that counts the
      attempt and looks the email up, a fresh secret hashed, the message rendered; only
      a known email stores its token and hands the message to ``email``, which must
      return at once (in production it queues it: the mail server's round trip is never
      part of the answer);
    - the message is in the account's ``locale``, else the languages the request came
      in, else English (an unknown email's message alike: the same work either way);
    - attempts are counted per client address and per email, whatever their outcome,
      and refused past either limit with the seconds to wait (429), alike for both;
    - the token is single use, valid 30 minutes, stored only as a hash; a newer request
      makes an older link stop working. Inactive accounts (pending invitations,
      deactivated staff) get no link.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        clock: Clock,
        ids: IdGenerator,
        email: EmailSender,
        public_url: str,
        translator: Translator,
        address_policy: ThrottlePolicy = RESET_ADDRESS_POLICY,
        email_policy: ThrottlePolicy = RESET_EMAIL_POLICY,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._email = email
        self._public_url = public_url
        self._translator = translator
        self._policies = (address_policy, email_policy)

    async def execute(self, request: PasswordResetRequest) -> None:
        now = self._clock.now()
        email = normalize_email(require_email(request.email))
        keys = (reset_address_key(request.client_address), reset_email_key(email))
        async with self._uow as uow:
            await uow.login_failures.hold(keys)
            await self._refuse_past_limits(uow, keys, now)
            for key in keys:
                await uow.login_failures.record(key, now)
            staff = await uow.staff.get_by_email(email)
            known = staff is not None and staff.active
            # The same token and message are made for an unknown email, then dropped.
            decoy_id = self._ids.new_id()
            issued = new_email_token(
                ids=self._ids,
                purpose=TokenPurpose.PASSWORD_RESET,
                staff_id=staff.id if staff is not None else decoy_id,
                email=staff.email if staff is not None else email,
                now=now,
                public_url=self._public_url,
            )
            chosen = staff.locale if staff is not None else None
            locale = account_emails.recipient_locale(self._translator, chosen, request.languages)
            message = account_emails.password_reset(
                self._translator,
                locale,
                issued.token.email,
                name=staff.name if staff is not None else email,
                minutes=_MINUTES,
                link=issued.link,
            )
            if known:
                await store_email_token(uow, issued)
            await uow.commit()
        if known:
            await self._email.send(message)

    async def _refuse_past_limits(
        self, uow: UnitOfWork, keys: tuple[str, str], now: datetime
    ) -> None:
        for key, policy in zip(keys, self._policies, strict=True):
            attempts = await uow.login_failures.since(key, now - policy.window)
            wait = seconds_to_wait(attempts, now, policy)
            if wait:
                raise TooManyAttempts(Message("accounts.reset.too_many"), wait)
