from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.actors import actor_of
from fusionx.core.model.capacity import CapacityLimits, CapacitySetting
from fusionx.core.model.events import CapacityChanged
from fusionx.core.model.fleet_events import ShiftCapacitySet, Stream, TruckCapacitySet
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role
from fusionx.core.rules.access import require_operator, require_staff, require_truck_scope
from fusionx.core.rules.capacity import check_limits
from fusionx.core.use_cases.queries.view_capacity import CapacityInForce, CapacitySource
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.shift_scope import log_event, require_not_closed, shift_in_scope
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork


class SetCapacityRequest(msgspec.Struct, frozen=True, kw_only=True):
    limits: CapacityLimits


class SetCapacity:
    """A manager sets how much a kitchen takes on: for one shift, or a truck's defaults.

    Rules:
    - managers of the truck, admins and owners; crew and devices may not;
    - a throttle has a window of 1 to 240 minutes and at least one of max orders and
      max items; slots last 5 to 240 minutes, a divisor of a day, and take 1 or more
      orders; empty limits lift every limit;
    - a closed shift's capacity cannot change;
    - the setting records who changed it and when; a change that affects an open
      shift is a ``capacity.changed`` event on it, with the limits and the actor.
      New limits apply to the next order; orders already taken stay;
    - every setting is on the truck's fleet stream (the audit trail) with the limits
      before and after: ``shift.capacity_set`` or ``truck.capacity_set``.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def for_shift(
        self, principal: Principal, shift_id: UUID, request: SetCapacityRequest
    ) -> CapacityInForce:
        check_limits(request.limits)
        async with self._uow as uow:
            shift = await shift_in_scope(uow, principal, shift_id, for_update=True)
            require_staff(principal, Role.MANAGER)
            setting = self._setting(principal, request)
            require_not_closed(shift)
            before = await uow.capacity.for_shift(shift.id)
            await uow.capacity.set_for_shift(shift.id, setting)
            await self._announce(uow, shift.id, CapacitySource.SHIFT, setting)
            await log_fleet_event(
                uow,
                Stream.truck(shift.truck_id),
                setting.updated_at,
                setting.updated_by,
                ShiftCapacitySet(
                    shift_id=shift.id,
                    truck_id=shift.truck_id,
                    before=before.limits if before else None,
                    after=setting.limits,
                ),
            )
            await uow.commit()
        return CapacityInForce(source=CapacitySource.SHIFT, setting=setting)

    async def for_truck(
        self, principal: Principal, truck_id: UUID, request: SetCapacityRequest
    ) -> CapacityInForce:
        require_truck_scope(principal, truck_id, "truck", truck_id)
        require_staff(principal, Role.MANAGER)
        check_limits(request.limits)
        setting = self._setting(principal, request)
        async with self._uow as uow:
            await require_truck_exists(uow, truck_id)
            before = await uow.capacity.for_truck(truck_id)
            await uow.capacity.set_for_truck(truck_id, setting)
            await log_fleet_event(
                uow,
                Stream.truck(truck_id),
                setting.updated_at,
                setting.updated_by,
                TruckCapacitySet(
                    truck_id=truck_id,
                    before=before.limits if before else None,
                    after=setting.limits,
                ),
            )
            shift = await uow.shifts.open_for_truck(truck_id)
            # The open shift feels the new defaults only if it has no limits of its own.
            if shift is not None and await uow.capacity.for_shift(shift.id) is None:
                await self._announce(uow, shift.id, CapacitySource.TRUCK, setting)
            await uow.commit()
        return CapacityInForce(source=CapacitySource.TRUCK, setting=setting)

    def _setting(self, principal: Principal, request: SetCapacityRequest) -> CapacitySetting:
        return CapacitySetting(
            limits=request.limits,
            updated_at=self._clock.now(),
            updated_by=actor_of(require_operator(principal)),
        )

    @staticmethod
    async def _announce(
        uow: UnitOfWork, shift_id: UUID, source: CapacitySource, setting: CapacitySetting
    ) -> None:
        await log_event(
            uow,
            shift_id,
            setting.updated_at,
            CapacityChanged(source=source, limits=setting.limits, actor=setting.updated_by),
        )
