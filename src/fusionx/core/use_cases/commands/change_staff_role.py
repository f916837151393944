from __future__ import annotations

from uuid import UUID

from fusionx.core.model.actors import actor_of
from fusionx.core.model.fleet_events import StaffRoleChanged, Stream
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.rules.access import require_role_change, require_staff
from fusionx.core.rules.owners import require_an_owner_remains
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.staff_scope import staff_in_scope
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class ChangeStaffRole:
    """Give a staff member another role.

    Rules:
    - owners give any role; admins any role below owner, and never to an owner (403);
      nobody gives a role above their own; managers and crew change no role;
    - the last active owner is never demoted (409); the active owners are read locked,
      so two owners demoting each other at once leave one of them owner;
    - the change is logged on the fleet's stream with the role before and after; the
      same role again changes and logs nothing.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, staff_id: UUID, role: Role) -> StaffMember:
        caller = require_staff(principal, Role.ADMIN)
        async with self._uow as uow:
            owners = await uow.staff.lock_active_owners()
            before = await staff_in_scope(uow, caller, staff_id)
            require_role_change(caller, before, role)
            if before.role is role:
                return before
            after = before.with_role(role)
            require_an_owner_remains(before, after, owners)
            await uow.staff.update(after)
            changed = StaffRoleChanged(staff_id=after.id, before=before.role, after=after.role)
            await log_fleet_event(uow, Stream.fleet(), self._clock.now(), actor_of(caller), changed)
            await uow.commit()
            return after
