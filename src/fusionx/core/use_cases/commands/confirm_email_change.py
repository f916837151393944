from __future__ import annotations

import msgspec

from fusionx.core.errors import Conflict, InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.actors import Actor
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.email_tokens import TokenPurpose
from fusionx.core.model.fleet_events import StaffEmailChanged, Stream
from fusionx.core.model.staff import StaffMember
from fusionx.core.use_cases.steps.email_tokens import INVALID_TOKEN, consume_email_token
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.ports.clock import Clock
from fusionx.ports.errors import UniqueViolation
from fusionx.ports.unit_of_work import UnitOfWork


class ConfirmEmailChangeRequest(msgspec.Struct, frozen=True, kw_only=True):
    token: str


class ConfirmEmailChange:
    """The link sent to a new address is used: the account's email becomes that address.

    Rules:
    - the token must be a live email-change token of an active account, and is used up
      (422 on ``token`` otherwise), once;
    - an account that took the address meanwhile wins: 409 naming ``email``, and the
      token stays unused (nothing commits);
    - sessions stay: the address changed, not the password; logged on the fleet stream
      as done by the account's holder, with the address before and after.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, request: ConfirmEmailChangeRequest) -> StaffMember:
        now = self._clock.now()
        async with self._uow as uow:
            token = await consume_email_token(uow, request.token, TokenPurpose.EMAIL_CHANGE, now)
            staff = await uow.staff.get(token.staff_id)
            if staff is None or not staff.active:
                raise InvalidInput("token", INVALID_TOKEN)
            changed = msgspec.structs.replace(staff, email=token.email)
            try:
                await uow.staff.update(changed)
            except UniqueViolation:
                raise Conflict(
                    Message("accounts.email.taken", {"field": "email"}), field="email"
                ) from None
            actor = Actor(kind=PrincipalKind.STAFF, id=staff.id)
            event = StaffEmailChanged(staff_id=staff.id, before=staff.email, after=changed.email)
            await log_fleet_event(uow, Stream.fleet(), now, actor, event)
            await uow.commit()
        return changed
