from __future__ import annotations

from uuid import UUID

from fusionx.core.model.actors import actor_of
from fusionx.core.model.fleet_events import StaffReactivated, Stream
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.rules.access import require_staff, require_staff_admin
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.staff_scope import staff_in_scope
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class ReactivateStaff:
    """Open a deactivated staff account again.

    Rules:
    - owners reactivate anyone, admins anyone but an owner; nobody else;
    - no old session comes back: they sign in again;
    - logged on the fleet's stream; reactivating an active account changes nothing.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, staff_id: UUID) -> StaffMember:
        caller = require_staff(principal, Role.ADMIN)
        async with self._uow as uow:
            before = await staff_in_scope(uow, caller, staff_id)
            require_staff_admin(caller, before)
            if before.active:
                return before
            after = before.reactivated()
            await uow.staff.update(after)
            reactivated = StaffReactivated(staff_id=after.id)
            await log_fleet_event(
                uow, Stream.fleet(), self._clock.now(), actor_of(caller), reactivated
            )
            await uow.commit()
            return after
