from __future__ import annotations

from uuid import UUID

from fusionx.core.model.actors import actor_of
from fusionx.core.model.fleet_events import StaffTruckUnassigned, Stream
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.rules.access import require_staff, require_truck_assignment
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.staff_scope import staff_in_scope
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class UnassignStaffTruck:
    """Take a staff member off a truck's staff.

    Rules:
    - who may is who may assign (``AssignStaffTruck``): a manager only crew, only off
      their own trucks; an unknown or out-of-scope truck is 404;
    - they lose that truck's resources on their next request; an open stream of its
      shifts ends at its next credential check (every ping);
    - logged on the truck's stream; unassigning someone not on it changes nothing.
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
            if truck_id not in before.truck_ids:
                return before
            after = before.unassigned_from(truck_id)
            await uow.staff.update(after)
            unassigned = StaffTruckUnassigned(staff_id=after.id, truck_id=truck_id)
            stream = Stream.truck(truck_id)
            await log_fleet_event(uow, stream, self._clock.now(), actor_of(caller), unassigned)
            await uow.commit()
            return after
