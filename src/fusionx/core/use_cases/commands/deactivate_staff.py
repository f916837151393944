from __future__ import annotations

from uuid import UUID

from fusionx.core.model.actors import actor_of
from fusionx.core.model.email_tokens import TokenPurpose
from fusionx.core.model.fleet_events import StaffDeactivated, Stream
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.rules.access import require_staff, require_staff_admin
from fusionx.core.rules.owners import require_an_owner_remains
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.staff_scope import staff_in_scope
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class DeactivateStaff:
    """Close a staff account; its history stays.

    Rules:
    - owners deactivate anyone, admins anyone but an owner; nobody else;
    - the last active owner is never deactivated (409), race-free as for a demotion;
    - every session of theirs is revoked in the same unit: each stops on its next
      request, and their open event streams close (the revocation reaches every worker);
      they cannot sign in again (refused as a wrong password is) until reactivated;
    - kitchen devices they registered keep working: a device's credential is its
      truck's, not theirs;
    - logged on the fleet's stream; deactivating an inactive account changes nothing but
      this: an invitation still open for it (a pending account) can no longer be accepted,
      so deactivating a pending invitee withdraws the invitation.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, staff_id: UUID) -> StaffMember:
        caller = require_staff(principal, Role.ADMIN)
        now = self._clock.now()
        async with self._uow as uow:
            owners = await uow.staff.lock_active_owners()
            before = await staff_in_scope(uow, caller, staff_id)
            require_staff_admin(caller, before)
            if not before.active:
                await uow.email_tokens.discard_for(before.id, TokenPurpose.INVITATION, now)
                await uow.commit()
                return before
            after = before.deactivated()
            require_an_owner_remains(before, after, owners)
            await uow.staff.update(after)
            await uow.tokens.revoke_all_for(after.id, now)
            deactivated = StaffDeactivated(staff_id=after.id)
            await log_fleet_event(uow, Stream.fleet(), now, actor_of(caller), deactivated)
            await uow.commit()
            return after
