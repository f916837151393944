"""Which trucks an analytics reader asked for and may see."""

from __future__ import annotations

from uuid import UUID

from fusionx.core.model.principals import Principal
from fusionx.core.rules.access import analytics_scope, require_truck_scope
from fusionx.core.use_cases.steps.truck_scope import require_truck_exists
from fusionx.ports.unit_of_work import UnitOfWork


async def trucks_of_analytics(
    uow: UnitOfWork, principal: Principal, truck_id: UUID | None
) -> frozenset[UUID] | None:
    """One truck (404 when out of the caller's scope, or unknown), else every truck
    the caller may see (None: the fleet); crew, devices and customers 403."""
    trucks = analytics_scope(principal)
    if truck_id is None:
        return trucks
    require_truck_scope(principal, truck_id, "truck", truck_id)
    await require_truck_exists(uow, truck_id)
    return frozenset({truck_id})
