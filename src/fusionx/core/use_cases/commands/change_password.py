from __future__ import annotations

import msgspec

from fusionx.core.errors import InvalidInput, NotFound
from fusionx.core.messages import Message
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import require_staff
from fusionx.core.rules.validation import require_password
from fusionx.ports.clock import Clock
from fusionx.ports.password_hasher import PasswordHasher
from fusionx.ports.unit_of_work import UnitOfWork


class ChangePasswordRequest(msgspec.Struct, frozen=True, kw_only=True):
    current_password: str
    new_password: str


class ChangePassword:
    """A staff member changes their own password.

    Rules:
    - the current password is required and must match (else 422 on
      ``current_password``, so a stolen session cannot lock its owner out);
    - the new one follows the password rules and differs from the current one;
    - every other session of theirs is revoked; the one making the change stays.
    """

    def __init__(self, uow: UnitOfWork, hasher: PasswordHasher, clock: Clock) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock

    async def execute(self, principal: Principal, request: ChangePasswordRequest) -> None:
        caller = require_staff(principal)
        try:
            new_password = require_password(request.new_password)
        except InvalidInput as error:
            raise InvalidInput("new_password", error.message) from None
        async with self._uow as uow:
            staff = await uow.staff.get(caller.staff.id)
            if staff is None:
                raise NotFound("staff member", caller.staff.id)
            if not await self._hasher.verify(staff.password_hash, request.current_password):
                raise InvalidInput("current_password", Message("password.not_current"))
            if request.new_password == request.current_password:
                raise InvalidInput("new_password", Message("password.unchanged"))
            changed = msgspec.structs.replace(
                staff, password_hash=await self._hasher.hash(new_password)
            )
            await uow.staff.update(changed)
            await uow.tokens.revoke_all_for(staff.id, self._clock.now(), keep=caller.token_id)
            await uow.commit()
