from __future__ import annotations

from datetime import timedelta

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import AccessToken, PrincipalKind, hash_secret, new_secret
from fusionx.core.model.email_tokens import TokenPurpose
from fusionx.core.model.fleet_events import AccountState, StaffInvitationAccepted, Stream
from fusionx.core.rules.validation import require_password, require_text
from fusionx.core.use_cases.commands.log_in import LogInResult
from fusionx.core.use_cases.steps.email_tokens import INVALID_TOKEN, consume_email_token
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.password_hasher import PasswordHasher
from fusionx.ports.unit_of_work import UnitOfWork


class AcceptInvitationRequest(msgspec.Struct, frozen=True, kw_only=True):
    token: str
    password: str
    name: str | None = None


class AcceptInvitation:
    """The invitee chooses their password through the invitation link, and is signed in.

    Rules:
    - the password follows the password rules (422 on ``password``); a name, if given,
      replaces the one the inviter typed;
    - the token must be a live invitation token of a pending (inactive) account, and is
      used up (422 on ``token`` otherwise), once, even under racing requests;
    - the account becomes active with that password, and gets a session token as a
      sign-in would (same lifetime);
    - logged on the fleet stream as done by the invitee, name and state before and after.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        hasher: PasswordHasher,
        clock: Clock,
        ids: IdGenerator,
        session_ttl: timedelta,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._ids = ids
        self._session_ttl = session_ttl

    async def execute(self, request: AcceptInvitationRequest) -> LogInResult:
        password = require_password(request.password)
        name = None if request.name is None else require_text("name", request.name)
        password_hash = await self._hasher.hash(password)
        now = self._clock.now()
        async with self._uow as uow:
            token = await consume_email_token(uow, request.token, TokenPurpose.INVITATION, now)
            pending = await uow.staff.get(token.staff_id)
            if pending is None or pending.active:
                raise InvalidInput("token", INVALID_TOKEN)
            staff = msgspec.structs.replace(
                pending, name=name or pending.name, password_hash=password_hash, active=True
            )
            await uow.staff.update(staff)
            secret = new_secret(PrincipalKind.STAFF)
            expires_at = now + self._session_ttl
            await uow.tokens.add(
                AccessToken(
                    id=self._ids.new_id(), token_hash=hash_secret(secret),
                    kind=PrincipalKind.STAFF, subject_id=staff.id, created_at=now,
                    expires_at=expires_at,
                )
            )  # fmt: skip
            accepted = StaffInvitationAccepted(
                staff_id=staff.id,
                before=AccountState(name=pending.name, active=pending.active),
                after=AccountState(name=staff.name, active=staff.active),
            )
            actor = Actor(kind=PrincipalKind.STAFF, id=staff.id)
            await log_fleet_event(uow, Stream.fleet(), now, actor, accepted)
            await uow.commit()
        return LogInResult(token=secret, expires_at=expires_at, staff=staff)
