from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.capacity import CapacitySetting, CapacitySource
from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import require_truck_scope
from fusionx.core.use_cases.steps.shift_scope import shift_in_scope
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.unit_of_work import UnitOfWork

__all__ = ["CapacityInForce", "CapacitySource", "ViewCapacity"]


class CapacityInForce(msgspec.Struct, frozen=True, kw_only=True):
    """The limits that apply and where they come from (None: no limit at all)."""

    source: CapacitySource
    setting: CapacitySetting | None


class ViewCapacity:
    """Staff and devices of a truck read its capacity: a shift's limits in force (its
    own, else the truck's defaults), or the truck's defaults. Others get 404."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def for_shift(self, principal: Principal, shift_id: UUID) -> CapacityInForce:
        async with self._uow as uow:
            shift = await shift_in_scope(uow, principal, shift_id)
            if own := await uow.capacity.for_shift(shift.id):
                return CapacityInForce(source=CapacitySource.SHIFT, setting=own)
            return _of_truck(await uow.capacity.for_truck(shift.truck_id))

    async def for_truck(self, principal: Principal, truck_id: UUID) -> CapacityInForce:
        require_truck_scope(principal, truck_id, "truck", truck_id)
        async with self._uow as uow:
            await require_truck_exists(uow, truck_id)
            return _of_truck(await uow.capacity.for_truck(truck_id))


def _of_truck(setting: CapacitySetting | None) -> CapacityInForce:
    source = CapacitySource.TRUCK if setting else CapacitySource.NONE
    return CapacityInForce(source=source, setting=setting)
