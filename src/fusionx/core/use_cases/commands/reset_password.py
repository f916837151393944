from __future__ import annotations

import msgspec

from fusionx.core.errors import InvalidInput
from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.email_tokens import TokenPurpose
from fusionx.core.model.fleet_events import StaffPasswordReset, Stream
from fusionx.core.rules.validation import require_password
from fusionx.core.use_cases.steps.email_tokens import INVALID_TOKEN, consume_email_token
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.ports.clock import Clock
from fusionx.ports.password_hasher import PasswordHasher
from fusionx.ports.unit_of_work import UnitOfWork


class ResetPasswordRequest(msgspec.Struct, frozen=True, kw_only=True):
    token: str
    password: str


class ResetPassword:
    """Set a new password with the token of a reset link.

    Rules:
    - the password follows the password rules (422 on ``password``), checked first;
    - the token must be a live password-reset token of an active account, and is used
      up (422 on ``token`` otherwise: unknown, expired, used, or for another purpose);
      of two requests racing with one token, one wins;
    - every session of the account ends (streams close), and any other reset link;
    - logged on the fleet stream as done by the account's holder, without the password.
    """

    def __init__(self, uow: UnitOfWork, hasher: PasswordHasher, clock: Clock) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock

    async def execute(self, request: ResetPasswordRequest) -> None:
        password = require_password(request.password)
        # Hashed before the unit of work: nothing is held while argon2 runs.
        password_hash = await self._hasher.hash(password)
        now = self._clock.now()
        async with self._uow as uow:
            token = await consume_email_token(uow, request.token, TokenPurpose.PASSWORD_RESET, now)
            staff = await uow.staff.get(token.staff_id)
            if staff is None or not staff.active:
                raise InvalidInput("token", INVALID_TOKEN)
            await uow.staff.update(msgspec.structs.replace(staff, password_hash=password_hash))
            await uow.tokens.revoke_all_for(staff.id, now)
            await uow.email_tokens.discard_for(staff.id, TokenPurpose.PASSWORD_RESET, now)
            actor = Actor(kind=PrincipalKind.STAFF, id=staff.id)
            done = StaffPasswordReset(staff_id=staff.id, email=staff.email)
            await log_fleet_event(uow, Stream.fleet(), now, actor, done)
            await uow.commit()
