from __future__ import annotations

from uuid import UUID

from fusionx.core.model.actors import actor_of
from fusionx.core.model.fleet_events import StaffTruckAssigned, Stream
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.rules.access import require_staff, require_truck_assignment
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.staff_scope import staff_in_scope
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class AssignStaffTruck:
    """Put a staff member on a truck's staff.

    Rules:
    - owners and admins assign anyone to any truck; managers assign crew they see (crew
      of one of their trucks) to their own trucks only;
    - an unknown truck, or one out of the caller's scope, is 404; so is a staff member
      the caller may not see;
    - logged on the truck's stream; assigning again changes and logs nothing.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, staff_id: UUID, truck_id: UUID) -> StaffMember:
        caller = require_staff(principal, Role.MANAGER)
        async with self._uow as uow:
            before = await staff_in_scope(uow, caller, staff_id)
            require_truck_assignment(caller, before, truck_id)
            await require_truck_exists(uow, truck_id)
            if truck_id in before.truck_ids:
                return before
            after = before.assigned_to(truck_id)
            await uow.staff.update(after)
            assigned = StaffTruckAssigned(staff_id=after.id, truck_id=truck_id)
            stream = Stream.truck(truck_id)
            await log_fleet_event(uow, stream, self._clock.now(), actor_of(caller), assigned)
            await uow.commit()
            return after
