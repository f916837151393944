from __future__ import annotations

from uuid import UUID

from fusionx.core.errors import NotFound
from fusionx.core.model.actors import actor_of
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.fleet_events import SessionRevoked, Stream
from fusionx.core.model.principals import Principal, StaffPrincipal
from fusionx.core.model.staff import Role
from fusionx.core.rules.access import require_staff, require_staff_admin
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.staff_scope import staff_in_scope
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class RevokeSession:
    """End one signed-in session: it stops on its next request, its streams close.

    Rules:
    - ``mine``: a staff member ends any of their own sessions (this one included); any
      other session, and any other caller, is 404;
    - ``of``: owners end anyone's, admins anyone's but an owner's; logged on the fleet's
      stream, naming whose session it was (ending your own is not logged);
    - a session that is not that person's, or no session at all, is 404; ending an
      ended session again is harmless.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def mine(self, principal: Principal, session_id: UUID) -> None:
        # Anyone but a staff member holds no staff session: theirs is 404 like another's.
        me = principal.staff.id if isinstance(principal, StaffPrincipal) else None
        async with self._uow as uow:
            await self._revoke(uow, me, session_id)
            await uow.commit()

    async def of(self, principal: Principal, staff_id: UUID, session_id: UUID) -> None:
        caller = require_staff(principal, Role.ADMIN)
        async with self._uow as uow:
            require_staff_admin(caller, await staff_in_scope(uow, caller, staff_id))
            if await self._revoke(uow, staff_id, session_id) and staff_id != caller.staff.id:
                revoked = SessionRevoked(staff_id=staff_id, session_id=session_id)
                await log_fleet_event(
                    uow, Stream.fleet(), self._clock.now(), actor_of(caller), revoked
                )
            await uow.commit()

    async def _revoke(self, uow: UnitOfWork, staff_id: UUID | None, session_id: UUID) -> bool:
        """Whether the session was live and is now revoked."""
        token = await uow.tokens.get(session_id)
        if (
            token is None
            or staff_id is None
            or token.kind is not PrincipalKind.STAFF
            or token.subject_id != staff_id
        ):
            raise NotFound("session", session_id)
        if token.revoked_at is not None:
            return False
        await uow.tokens.revoke(token.id, self._clock.now())
        return True
