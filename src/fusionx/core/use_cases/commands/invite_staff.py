from __future__ import annotations

import secrets
from uuid import UUID

import msgspec

from fusionx.core.errors import Conflict
from fusionx.core.messages import Message
from fusionx.core.model.actors import actor_of
from fusionx.core.model.email_tokens import TokenPurpose
from fusionx.core.model.fleet_events import StaffInvited, Stream
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.rules.access import require_may_invite
from fusionx.core.rules.validation import require_email, require_text
from fusionx.core.use_cases.steps import account_emails
from fusionx.core.use_cases.steps.email_tokens import new_email_token, store_email_token
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.clock import Clock
from fusionx.ports.email_sender import EmailSender
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.password_hasher import PasswordHasher
from fusionx.ports.translator import Translator
from fusionx.ports.unit_of_work import UnitOfWork

_DAYS = TokenPurpose.INVITATION.validity.days


class InviteStaffRequest(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    name: str
    role: Role
    truck_ids: frozenset[UUID] = frozenset()
    # The languages the invitation came in, best first: the email is written in them.
    languages: tuple[str, ...] = ()


class InviteStaff:
    """Invite someone to the staff by email; they choose their own password.

    Rules:
    - owners invite anyone, admins anyone below owner, managers crew to their own
      trucks only (``rules.access.require_may_invite``); every truck must exist (404);
    - the account is made inactive ("pending") with a password nobody knows, so it can
      neither sign in nor be reset until the invitee accepts; the email is unique
      regardless of case (409 naming ``email``);
    - the invitation is a single-use token valid 7 days, stored as a hash; its link goes
      only into the email, sent before the change commits: if the mail server does not
      take it, nothing is kept and the invitation may simply be sent again;
    - logged on the fleet stream with the inviter as actor, without the link;
    - the invitation is written in the languages the request came in, else English.
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

    async def execute(self, principal: Principal, request: InviteStaffRequest) -> StaffMember:
        caller = require_may_invite(principal, request.role, request.truck_ids)
        now = self._clock.now()
        staff = StaffMember(
            id=self._ids.new_id(),
            email=require_email(request.email),
            name=require_text("name", request.name),
            role=request.role,
            truck_ids=request.truck_ids,
            # A password no one knows: the account opens only through the invitation.
            password_hash=await self._hasher.hash(secrets.token_urlsafe(32)),
            created_at=now,
            active=False,
        )
        issued = new_email_token(
            ids=self._ids,
            purpose=TokenPurpose.INVITATION,
            staff_id=staff.id,
            email=staff.email,
            now=now,
            public_url=self._public_url,
        )
        message = account_emails.invitation(
            self._translator,
            account_emails.recipient_locale(self._translator, staff.locale, request.languages),
            staff.email,
            name=staff.name,
            inviter=caller.staff.name,
            role=staff.role,
            days=_DAYS,
            link=issued.link,
        )
        async with self._uow as uow:
            for truck_id in sorted(request.truck_ids):
                await require_truck_exists(uow, truck_id)
            try:
                await uow.staff.add(staff)
            except UniqueViolation as error:
                raise Conflict(
                    Message("accounts.email.taken", {"field": error.field}), field=error.field
                ) from None
            await store_email_token(uow, issued)
            invited = StaffInvited(
                staff_id=staff.id, email=staff.email, name=staff.name, role=staff.role,
                truck_ids=staff.truck_ids, expires_at=issued.token.expires_at,
            )  # fmt: skip
            await log_fleet_event(uow, Stream.fleet(), now, actor_of(caller), invited)
            await self._email.send(message)
            await uow.commit()
        return staff
