from __future__ import annotations

import msgspec

from fusionx.core.errors import Conflict, InvalidInput, NotFound
from fusionx.core.messages import Message
from fusionx.core.model.email_tokens import TokenPurpose
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import normalize_email
from fusionx.core.rules.access import require_staff
from fusionx.core.rules.validation import require_email
from fusionx.core.use_cases.steps import account_emails
from fusionx.core.use_cases.steps.email_tokens import new_email_token, store_email_token
from fusionx.ports.clock import Clock
from fusionx.ports.email_sender import EmailSender
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.password_hasher import PasswordHasher
from fusionx.ports.translator import Translator
from fusionx.ports.unit_of_work import UnitOfWork

_HOURS = int(TokenPurpose.EMAIL_CHANGE.validity.total_seconds() // 3600)


class EmailChangeRequest(msgspec.Struct, frozen=True, kw_only=True):
    new_email: str
    password: str
    # The languages the request came in, best first: for a staff member without a locale.
    languages: tuple[str, ...] = ()


class RequestEmailChange:
    """A staff member asks to move their account to another email address.

    Rules:
    - their current password is required (422 on ``password``): a session left open
      must not be enough to take the account over by moving its address;
    - the new address is valid (422 on ``new_email``), differs from the current one,
      and no other account has it (409 naming ``new_email``);
    - nothing changes yet: a single-use link valid 24 hours goes to the new address,
      which changes when the link is used (``ConfirmEmailChange``); a newer request
      makes the older link stop working. The message is sent before the unit commits,
      so a mail server that refuses it leaves nothing behind;
    - the link goes out in their ``locale``, else the request's languages, else English.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        hasher: PasswordHasher,
        clock: Clock,
        ids: IdGenerator,
        email: EmailSender,
        public_url: str,
        translator: Translator,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._ids = ids
        self._email = email
        self._public_url = public_url
        self._translator = translator

    async def execute(self, principal: Principal, request: EmailChangeRequest) -> None:
        caller = require_staff(principal)
        new_email = require_email(request.new_email, field="new_email")
        now = self._clock.now()
        async with self._uow as uow:
            staff = await uow.staff.get(caller.staff.id)
            if staff is None:
                raise NotFound("staff member", caller.staff.id)
            if not await self._hasher.verify(staff.password_hash, request.password):
                raise InvalidInput("password", Message("accounts.password.not_yours"))
            if normalize_email(new_email) == normalize_email(staff.email):
                raise InvalidInput("new_email", Message("accounts.new_email.unchanged"))
            if await uow.staff.get_by_email(new_email) is not None:
                raise Conflict(
                    Message("accounts.email.taken", {"field": "new_email"}), field="new_email"
                )
            issued = new_email_token(
                ids=self._ids,
                purpose=TokenPurpose.EMAIL_CHANGE,
                staff_id=staff.id,
                email=new_email,
                now=now,
                public_url=self._public_url,
            )
            await store_email_token(uow, issued)
            message = account_emails.email_change(
                self._translator,
                account_emails.recipient_locale(self._translator, staff.locale, request.languages),
                new_email,
                name=staff.name,
                email=new_email,
                hours=_HOURS,
                link=issued.link,
            )
            await self._email.send(message)
            await uow.commit()
