from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.credentials import AccessToken
from fusionx.core.model.paging import Page, PageRequest
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role
from fusionx.core.rules.access import require_staff, require_staff_admin
from fusionx.core.use_cases.steps.staff_scope import staff_in_scope
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class Session(msgspec.Struct, frozen=True, kw_only=True):
    """A signed-in session; ``current`` when it is the one asking."""

    token: AccessToken
    current: bool


class ListSessions:
    """Signed-in sessions, the newest first: only those still usable.

    Rules:
    - ``mine``: any staff member's own; ``of``: owners anyone's, admins anyone's but an
      owner's; a staff member they may not see is 404, and managers and crew are refused.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def mine(self, principal: Principal, page: PageRequest) -> Page[Session]:
        caller = require_staff(principal)
        async with self._uow as uow:
            return await self._list(uow, caller.staff.id, caller.token_id, page)

    async def of(self, principal: Principal, staff_id: UUID, page: PageRequest) -> Page[Session]:
        caller = require_staff(principal, Role.ADMIN)
        async with self._uow as uow:
            require_staff_admin(caller, await staff_in_scope(uow, caller, staff_id))
            return await self._list(uow, staff_id, caller.token_id, page)

    async def _list(
        self, uow: UnitOfWork, staff_id: UUID, current: UUID, page: PageRequest
    ) -> Page[Session]:
        tokens = await uow.tokens.sessions_of(staff_id, self._clock.now(), page)
        return Page(
            items=[Session(token=token, current=token.id == current) for token in tokens.items],
            total=tokens.total,
            limit=tokens.limit,
            offset=tokens.offset,
        )
