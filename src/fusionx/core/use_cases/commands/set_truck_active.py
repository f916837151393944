from __future__ import annotations

from uuid import UUID

from fusionx.core.errors import Conflict
from fusionx.core.messages import Message
from fusionx.core.model.actors import actor_of
from fusionx.core.model.fleet_events import Stream, TruckDeactivated, TruckReactivated
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role
from fusionx.core.model.trucks import Truck
from fusionx.core.rules.access import require_staff
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.truck_scope import existing_truck
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class SetTruckActive:
    """Retire a truck, or bring it back.

    Rules:
    - owners and admins;
    - a deactivated truck takes no shift and no order; its shifts, orders and events
      stay readable; a truck with a shift not yet closed is not deactivated (a conflict
      naming the shift): check it out first;
    - deactivating an inactive truck, or reactivating an active one, is a conflict;
    - ``truck.deactivated`` / ``truck.reactivated`` on the truck's stream, before and after.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def deactivate(self, principal: Principal, truck_id: UUID) -> Truck:
        actor = actor_of(require_staff(principal, Role.ADMIN))
        async with self._uow as uow:
            before = await existing_truck(uow, truck_id)
            after = before.deactivated()
            if (shift := await uow.shifts.open_for_truck(truck_id)) is not None:
                raise Conflict(Message("fleet.truck.open_shift"), open_shift_id=str(shift.id))
            await uow.trucks.update(after)
            event = TruckDeactivated(before=before, after=after)
            await log_fleet_event(uow, Stream.truck(truck_id), self._clock.now(), actor, event)
            await uow.commit()
        return after

    async def reactivate(self, principal: Principal, truck_id: UUID) -> Truck:
        actor = actor_of(require_staff(principal, Role.ADMIN))
        async with self._uow as uow:
            before = await existing_truck(uow, truck_id)
            after = before.reactivated()
            await uow.trucks.update(after)
            event = TruckReactivated(before=before, after=after)
            await log_fleet_event(uow, Stream.truck(truck_id), self._clock.now(), actor, event)
            await uow.commit()
        return after
